#!/usr/bin/env node
// The `mxdesk` command line. It runs the built engine on plain Node (no Electron).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'cli', 'mxdesk.js');
if (!existsSync(entry)) {
  process.stderr.write('mxdesk: not built yet. Run `npm run build` in the MX Desk checkout first.\n');
  process.exit(2);
}
require(entry);
