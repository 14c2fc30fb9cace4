// README's "Options compared with swaks" table is kept true: every flag `mxdesk --help` prints has a row in
// the table's MX Desk column, and every flag the table names is one `mxdesk --help` prints. The help text
// is taken from the real command (run through tsx), and checked to be args.ts's USAGE.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { USAGE } from '../../electron/cli/args';
import { PROTOCOL_FLAGS } from '../../electron/cli/protocol-args';
import { TRANSPORT_FLAGS } from '../../electron/cli/transport-args';

const ROOT = join(__dirname, '..', '..');
const SECTION = '## Options compared with swaks';

/** `--long-flag` and the short `-4` / `-6`, in order of first appearance. */
function flagsIn(text: string): string[] {
  const found = text.match(/(?<![\w-])(?:--[a-z][a-z0-9-]*|-[46])(?![\w-])/g) ?? [];
  return [...new Set(found)];
}

/** Cells of a Markdown table row; `\|` is a literal bar inside a cell (GFM). */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.replace(/\\\|/g, '|').trim());
}

interface TableRow {
  swaks: string;
  mxdesk: string;
  form: string;
  notes: string;
}

function readTable(): TableRow[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${SECTION}\n`);
  assert.ok(start >= 0, `README has a "${SECTION}" section`);
  const rest = readme.slice(start + SECTION.length + 2);
  const end = rest.search(/\n## /);
  const lines = (end >= 0 ? rest.slice(0, end) : rest).split('\n').filter((l) => l.trim().startsWith('|'));
  assert.ok(lines.length > 2, 'the section holds a table');
  assert.deepEqual(cells(lines[0]).map((c) => c.toLowerCase()), ['swaks', 'mx desk cli', 'in the form?', 'notes'], 'the table has the four columns');
  return lines.slice(2).map((l) => {
    const c = cells(l);
    assert.equal(c.length, 4, `four cells in: ${l}`);
    return { swaks: c[0], mxdesk: c[1], form: c[2], notes: c[3] };
  });
}

function helpText(): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'cli', 'mxdesk.ts'), '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `mxdesk --help exits 0: ${r.stderr}`);
  return r.stdout;
}

describe('README: options compared with swaks', () => {
  test('mxdesk --help prints the usage text args.ts exports', () => {
    assert.equal(helpText().trim(), USAGE.trim());
  });

  test('every flag the send parser accepts is in the usage text (a refused secret flag excepted)', () => {
    const usage = new Set(flagsIn(USAGE));
    const accepted = [
      ...Object.entries(TRANSPORT_FLAGS).map(([name, o]) => ('short' in o ? `-${o.short}` : `--${name}`)),
      // --oauth-token exists only to be refused with a reason: a token is never a flag.
      ...Object.keys(PROTOCOL_FLAGS).filter((n) => n !== 'oauth-token').map((n) => `--${n}`),
    ];
    assert.deepEqual(accepted.filter((f) => !usage.has(f)), [], 'flags the parser takes but --help never shows');
  });

  test('every flag in mxdesk --help has a row in the table, and the table names no flag mxdesk lacks', () => {
    const usage = flagsIn(USAGE);
    const rows = readTable();
    const inTable = new Set(rows.flatMap((r) => flagsIn(r.mxdesk)));
    assert.deepEqual(usage.filter((f) => !inTable.has(f)), [], 'flags in `mxdesk --help` missing from the README table');
    assert.deepEqual([...inTable].filter((f) => !usage.includes(f)), [], 'flags in the README table that `mxdesk --help` does not have');
  });

  test('every row says whether the form has it, and a row without an MX Desk flag says so plainly', () => {
    for (const r of readTable()) {
      assert.notEqual(r.form, '', `the form column is filled for ${r.swaks}`);
      if (flagsIn(r.mxdesk).length === 0) assert.match(r.mxdesk, /^—|^\(/, `a row with no flag starts with — or a parenthesis: ${r.swaks}`);
    }
  });
});
