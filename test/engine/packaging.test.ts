// What the packaged desktop app ships: `electron-builder --linux dir` with the project's own
// electron-builder.yml, offline, against a placeholder Electron folder (the real binary is not on this
// machine), fuses switched off for this run (they patch the real binary). Then app.asar is listed: main,
// preload and the bundled renderer are in it, main's run-time packages too, and nothing else — no renderer
// packages (they are bundled into app.js), no ws (web mode only), no tests, sources or source maps.
// Needs `npm run build` first (npm test does it).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { listPackage } from '@electron/asar';
import { tempDirs } from '../support/temp-dirs';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'electron', 'main.js');
const BUILDER = join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
const RENDERER_PACKAGES = ['react', 'react-dom', '@tanstack/react-virtual', 'scheduler', 'ws'];
const tmp = tempDirs('mxdesk-pack-');

interface Pkg {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Pkg;

function skipReason(): string | false {
  if (!existsSync(BUILDER)) return 'electron-builder is not installed (npm install)';
  if (!existsSync(MAIN)) return 'dist/electron/main.js is missing: run `npm run build` first';
  return false;
}

/** The packages main.js loads at run time: esbuild leaves every package external (`packages: 'external'`). */
function mainRequires(): string[] {
  const source = readFileSync(MAIN, 'utf8');
  const names = new Set<string>();
  for (const m of source.matchAll(/\brequire\("([^"]+)"\)/g)) {
    const spec = m[1];
    if (spec.startsWith('node:') || spec.startsWith('.') || builtinModules.includes(spec.split('/')[0])) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
  }
  names.delete('electron'); // provided by the Electron runtime itself
  return [...names].sort();
}

/** An unpacked "Electron" with the layout electron-builder copies: the executable, resources/, licences. */
function placeholderElectron(dir: string): string {
  const dist = join(dir, 'electron');
  mkdirSync(join(dist, 'resources'), { recursive: true });
  writeFileSync(join(dist, 'electron'), '#!/bin/sh\necho "placeholder Electron for the packaging test" >&2\nexit 1\n');
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'LICENSE'), 'placeholder\n');
  writeFileSync(join(dist, 'LICENSES.chromium.html'), '<p>placeholder</p>\n');
  const electronVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(join(dist, 'version'), `${electronVersion}\n`);
  return dist;
}

/**
 * The project's electron-builder.yml with only what this run needs changed: the placeholder Electron, a
 * temp output dir, no fuses (they patch a real Electron binary), no native rebuild. A CommonJS config file
 * reads the YAML with electron-builder's own js-yaml, so the `files` list under test is the real one.
 */
function overrideConfig(dir: string, electronDist: string): string {
  const yaml = require.resolve('js-yaml', { paths: [dirname(require.resolve('app-builder-lib/package.json'))] });
  const file = join(dir, 'electron-builder.override.js');
  writeFileSync(
    file,
    [
      `const config = require(${JSON.stringify(yaml)}).load(require('node:fs').readFileSync(${JSON.stringify(join(ROOT, 'electron-builder.yml'))}, 'utf8'));`,
      'delete config.electronFuses;',
      `config.electronDist = ${JSON.stringify(electronDist)};`,
      `config.directories = { ...config.directories, output: ${JSON.stringify(join(dir, 'out'))} };`,
      'config.npmRebuild = false;',
      'module.exports = config;',
      '',
    ].join('\n'),
  );
  return file;
}

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // No proxy or mirror variables reach it: the run must not need the network.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, CI: '1' };
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|download/i;

describe('packaging: electron-builder --linux dir and the contents of app.asar', { skip: skipReason() }, () => {
  let files: string[] = [];
  let appOut = '';
  let offline: string | false = false;

  before(async () => {
    const dir = tmp();
    const config = overrideConfig(dir, placeholderElectron(dir));
    const r = await run([BUILDER, '--linux', 'dir', '--projectDir', ROOT, '--config', config, '--publish', 'never'], 90_000);
    appOut = join(dir, 'out', 'linux-unpacked');
    const asar = join(appOut, 'resources', 'app.asar');
    if (r.code !== 0 && NETWORK.test(r.output)) {
      offline = `electron-builder needed the network here: ${r.output.split('\n').find((l) => NETWORK.test(l))?.trim()}`;
      return;
    }
    assert.equal(r.code, 0, `electron-builder failed:\n${r.output.slice(-3000)}`);
    assert.ok(existsSync(asar), `no app.asar in ${appOut}:\n${r.output.slice(-2000)}`);
    files = listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
  });

  test('renderer packages are devDependencies: only what main requires at run time is a dependency', (t) => {
    if (offline) return t.skip(offline);
    const deps = Object.keys(pkg.dependencies ?? {});
    for (const name of RENDERER_PACKAGES) {
      assert.ok(!deps.includes(name), `${name} is bundled into the renderer (or used by web mode only): a devDependency`);
    }
    for (const name of mainRequires()) {
      assert.ok(deps.includes(name), `dist/electron/main.js requires ${name}: it must be in dependencies`);
    }
  });

  test('app.asar holds main, preload, the renderer and package.json', (t) => {
    if (offline) return t.skip(offline);
    for (const f of ['/package.json', '/dist/electron/main.js', '/dist/electron/preload.js', '/dist/renderer/index.html', '/dist/renderer/app.js', '/dist/renderer/styles.css']) {
      assert.ok(files.includes(f), `${f} is packaged`);
    }
    assert.ok(existsSync(join(appOut, 'mxdesk')), 'the Electron executable is renamed after the package');
  });

  test('every package main requires is inside app.asar', (t) => {
    if (offline) return t.skip(offline);
    for (const name of mainRequires()) {
      assert.ok(files.includes(`/node_modules/${name}/package.json`), `node_modules/${name} is packaged`);
    }
  });

  test('no renderer packages, ws, web mode, CLI, tests, benchmarks, sources or source maps', (t) => {
    if (offline) return t.skip(offline);
    for (const name of RENDERER_PACKAGES) {
      assert.deepEqual(files.filter((f) => f.startsWith(`/node_modules/${name}/`)), [], `${name} is not packaged`);
    }
    const unwanted = files.filter(
      (f) =>
        /^\/(test|bench|electron|shared|renderer|scripts|docs|release|test-results|build)\//.test(f) ||
        /^\/dist\/(web|cli)\//.test(f) ||
        /\.(map|ts|tsx|cts|mts)$/.test(f),
    );
    assert.deepEqual(unwanted.slice(0, 20), [], `${unwanted.length} unwanted files packaged`);
  });
});
