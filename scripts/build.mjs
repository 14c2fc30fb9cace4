// Builds every bundle with esbuild: Electron main + preload, web mode, CLI and the renderer.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const production = process.env.NODE_ENV !== 'development';
// dist/ is not removed first: every output is rewritten in place, so a build never leaves a window in
// which a running web-mode server or test finds no renderer at all.

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...node, entryPoints: { main: 'electron/main.ts' }, outdir: 'dist/electron', external: ['electron'] }),
  // A sandboxed preload may require only 'electron': bundle everything else in.
  build({ ...node, entryPoints: { preload: 'electron/preload.ts' }, outdir: 'dist/electron', packages: undefined, external: ['electron'] }),
  build({ ...node, entryPoints: { server: 'electron/web/server.ts' }, outdir: 'dist/web' }),
  build({ ...node, entryPoints: { mxdesk: 'electron/cli/mxdesk.ts' }, outdir: 'dist/cli' }),
  build({
    entryPoints: { app: 'renderer/main.tsx' },
    outdir: 'dist/renderer',
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    minify: production,
    sourcemap: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
    logLevel: 'warning',
  }),
]);
mkdirSync('dist/renderer', { recursive: true });
cpSync('renderer/index.html', 'dist/renderer/index.html');
// One stylesheet: the app-wide styles.css first, then each feature folder's own CSS files in path order.
function cssFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) return cssFiles(p);
      return p.endsWith('.css') && p !== join('renderer', 'styles.css') ? [p] : [];
    });
}
const css = ['renderer/styles.css', ...cssFiles('renderer')].map((f) => `/* ${f} */\n${readFileSync(f, 'utf8')}`).join('\n');
writeFileSync('dist/renderer/styles.css', css);
console.log('built dist/');
