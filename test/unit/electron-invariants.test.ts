// The Electron security configuration, proved from the code itself (RELIABILITY "Electron"): every window's
// webPreferences, the production CSP, the preload's exposed keys, the IPC wrapper, the main lifecycle, and
// the ban on dangerouslySetInnerHTML. Needs `npm run build` first (it reads dist/ too).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REQUEST_CHANNELS, REQUEST_METHODS } from '../../shared/ipc';
import type { RequestApi } from '../../shared/api';
import { ok } from '../../shared/result';
import type { FakeElectron } from '../support/electron-stub';
import { createFakeElectron, FakeWebContents, installElectronStub } from '../support/electron-stub';

const ROOT = resolve(__dirname, '..', '..');
type Fn = (...args: unknown[]) => unknown;

function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, pattern));
    else if (pattern.test(e)) out.push(p);
  }
  return out;
}

const rel = (p: string): string => relative(ROOT, p);
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');

function cspOf(html: string): Map<string, string[]> {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  assert.ok(m, 'index.html carries a CSP meta tag');
  const d = new Map<string, string[]>();
  for (const part of m[1].split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) d.set(name, values);
  }
  return d;
}

describe('Electron invariants', () => {
  let fake: FakeElectron;
  let restore: () => void;
  before(() => {
    fake = createFakeElectron();
    restore = installElectronStub(fake);
  });
  after(() => restore());

  describe('windows', () => {
    test('the exported webPreferences are the hardened set, with webSecurity left at its default', async () => {
      const { HARDENED_WEB_PREFERENCES: p } = await import('../../electron/window');
      assert.equal(p.contextIsolation, true);
      assert.equal(p.sandbox, true);
      assert.equal(p.nodeIntegration, false);
      assert.equal(p.nodeIntegrationInWorker, false);
      assert.equal(p.nodeIntegrationInSubFrames, false);
      assert.equal(p.webviewTag, false);
      assert.ok(!('webSecurity' in p), 'webSecurity is not touched');
      assert.ok(Object.isFrozen(p));
    });

    test('a created window gets exactly those preferences plus the bundled preload', async () => {
      const { createMainWindow, HARDENED_WEB_PREFERENCES } = await import('../../electron/window');
      const before = fake.windows.length;
      createMainWindow('/app/dist/electron');
      const prefs = fake.windows[before].options.webPreferences as Record<string, unknown>;
      assert.deepEqual(prefs, { ...HARDENED_WEB_PREFERENCES, preload: join('/app/dist/electron', 'preload.js') });
    });

    test('electron/ constructs BrowserWindow in one place only, and it spreads the hardened constant', () => {
      const sites = filesUnder(join(ROOT, 'electron'), /\.ts$/).flatMap((f) => {
        const n = (readFileSync(f, 'utf8').match(/new\s+BrowserWindow\s*\(/g) ?? []).length;
        return n ? [{ file: rel(f), n }] : [];
      });
      assert.deepEqual(sites, [{ file: join('electron', 'window.ts'), n: 1 }]);
      const src = read('electron/window.ts');
      assert.match(src, /webPreferences:\s*\{\s*\.\.\.HARDENED_WEB_PREFERENCES,\s*preload:/);
      for (const f of filesUnder(join(ROOT, 'electron'), /\.ts$/)) {
        const code = readFileSync(f, 'utf8');
        assert.doesNotMatch(code, /webSecurity\s*:/, `${rel(f)} must not set webSecurity`);
        assert.doesNotMatch(code, /(allowRunningInsecureContent|experimentalFeatures|enableBlinkFeatures)\s*:/, rel(f));
        assert.doesNotMatch(code, /nodeIntegration\w*\s*:\s*true|contextIsolation\s*:\s*false|sandbox\s*:\s*false|webviewTag\s*:\s*true/, rel(f));
      }
    });
  });

  describe('content security policy', () => {
    for (const file of ['renderer/index.html', 'dist/renderer/index.html']) {
      test(`${file} forbids inline and eval script and all network connections`, () => {
        assert.ok(existsSync(join(ROOT, file)), `${file} exists (run npm run build)`);
        const csp = cspOf(read(file));
        assert.deepEqual(csp.get('default-src'), ["'none'"]);
        assert.deepEqual(csp.get('script-src'), ["'self'"]);
        assert.deepEqual(csp.get('connect-src'), ["'none'"]);
        assert.deepEqual(csp.get('object-src'), ["'none'"]);
        assert.deepEqual(csp.get('base-uri'), ["'none'"]);
        for (const [name, values] of csp) {
          for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'http:', 'https:', 'file:']) {
            assert.ok(!values.includes(bad), `${name} must not allow ${bad}`);
          }
        }
      });
    }

    test('the built page has no inline script or inline event handler', () => {
      const html = read('dist/renderer/index.html');
      for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        assert.match(m[1], /\bsrc=/, 'every script is an external file');
        assert.equal(m[2].trim(), '', 'no inline script body');
      }
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
    });
  });

  describe('preload', () => {
    const expectedKeys = [...REQUEST_METHODS, 'onSessionEvents'].sort();

    async function exposedBy(load: () => unknown): Promise<Map<string, unknown>> {
      fake.exposed.clear();
      await load();
      return new Map(fake.exposed);
    }

    for (const [label, load] of [
      ['source electron/preload.ts', () => import('../../electron/preload')],
      ['bundle dist/electron/preload.js', () => import(join(ROOT, 'dist/electron/preload.js'))],
    ] as const) {
      test(`${label} exposes only window.mxdesk, with exactly the API methods`, async () => {
        const exposed = await exposedBy(load);
        assert.deepEqual([...exposed.keys()], ['mxdesk']);
        const api = exposed.get('mxdesk') as Record<string, unknown>;
        assert.deepEqual(Object.keys(api).sort(), expectedKeys);
        for (const [k, v] of Object.entries(api)) {
          assert.equal(typeof v, 'function', `${k} is a function`);
          assert.notEqual(v, fake.ipcRenderer, `${k} is not ipcRenderer`);
          assert.notEqual(v, fake.ipcRenderer.invoke, `${k} is not ipcRenderer.invoke`);
        }
        fake.ipcRenderer.invocations.length = 0;
        for (const m of REQUEST_METHODS) await (api[m] as Fn)({ probe: m });
        assert.deepEqual(
          fake.ipcRenderer.invocations,
          REQUEST_METHODS.map((m) => ({ channel: REQUEST_CHANNELS[m], arg: { probe: m } })),
          'each method invokes its own channel with its one argument',
        );
      });
    }
  });

  describe('IPC handlers', () => {
    const calls: { method: string; arg: unknown }[] = [];
    const service = Object.fromEntries(
      REQUEST_METHODS.map((m) => [m, async (arg: unknown) => (calls.push({ method: m, arg }), ok('from ' + m))]),
    ) as unknown as RequestApi;
    const trusted = { senderFrame: { url: 'mxdesk://app/index.html', parent: null } };
    let handlers: Map<string, Fn>;

    before(async () => {
      const { registerIpc } = await import('../../electron/ipc/register');
      handlers = new Map();
      registerIpc(service, { ipc: { handle: (ch, fn) => handlers.set(ch, fn as Fn), removeHandler: (ch) => handlers.delete(ch) } });
    });

    test('one handler per API method, on exactly the channels of REQUEST_CHANNELS', () => {
      assert.deepEqual([...handlers.keys()].sort(), Object.values(REQUEST_CHANNELS).sort());
    });

    test('a sender outside mxdesk://app is refused before validation or the service', async () => {
      calls.length = 0;
      const senders = [
        { senderFrame: null },
        { senderFrame: { url: 'file:///etc/passwd', parent: null } },
        { senderFrame: { url: 'https://app/', parent: null } },
        { senderFrame: { url: 'mxdesk://evil/index.html', parent: null } },
        { senderFrame: { url: 'mxdesk://app/index.html', parent: {} } },
        {
          get senderFrame(): never {
            throw new Error('Render frame was disposed');
          },
        },
      ];
      for (const [channel, handler] of handlers) {
        for (const e of senders) {
          const r = (await handler(e, {})) as { ok: boolean; error?: { code: string } };
          assert.equal(r.ok, false, channel);
          assert.equal(r.error?.code, 'untrusted_sender', channel);
        }
      }
      assert.equal(calls.length, 0);
    });

    test('an invalid payload gets invalid_input and never reaches the service', async () => {
      calls.length = 0;
      const bad: Partial<Record<string, unknown>> = { lookupMx: { query: 42 }, cancelLookup: { lookupId: 7 }, cancelSession: null };
      for (const [method, payload] of Object.entries(bad)) {
        const r = (await handlers.get(REQUEST_CHANNELS[method as keyof typeof REQUEST_CHANNELS])!(trusted, payload)) as { ok: boolean; error?: { code: string } };
        assert.equal(r.ok, false, method);
        assert.equal(r.error?.code, 'invalid_input', method);
      }
      assert.equal(calls.length, 0);
    });

    test('a valid payload from our page reaches the service parsed', async () => {
      calls.length = 0;
      const r = await handlers.get(REQUEST_CHANNELS.lookupMx)!(trusted, { query: '  example.test ' });
      assert.deepEqual(r, ok('from lookupMx'));
      assert.equal(calls.length, 1);
      assert.equal((calls[0].arg as { query: string }).query, 'example.test');
    });

    test('a service that throws becomes fail("internal"), never a rejected invoke', async () => {
      const { registerIpc } = await import('../../electron/ipc/register');
      const throwing = { ...service, hostInfo: async () => { throw new Error('boom'); } } as RequestApi;
      const hs = new Map<string, Fn>();
      registerIpc(throwing, { ipc: { handle: (ch, fn) => hs.set(ch, fn as Fn), removeHandler: () => undefined } });
      const r = (await hs.get(REQUEST_CHANNELS.hostInfo)!(trusted, {})) as { ok: boolean; error?: { code: string } };
      assert.equal(r.ok, false);
      assert.equal(r.error?.code, 'internal');
    });

    test('only electron/ipc/register.ts touches ipcMain and only electron/preload.ts ipcRenderer', () => {
      for (const f of filesUnder(join(ROOT, 'electron'), /\.ts$/)) {
        const code = readFileSync(f, 'utf8');
        if (rel(f) !== join('electron', 'ipc', 'register.ts')) assert.doesNotMatch(code, /\bipcMain\b/, rel(f));
        if (rel(f) !== join('electron', 'preload.ts')) assert.doesNotMatch(code, /\bipcRenderer\b/, rel(f));
      }
    });
  });

  describe('main process lifecycle', () => {
    // One fake for the whole file: modules loaded earlier keep the `electron` object they first required.
    let main: FakeElectron;
    let mainWindow: FakeElectron['windows'][number];
    before(async () => {
      main = fake;
      const count = main.windows.length;
      await import('../../electron/main');
      // let whenReady().then(...) run
      await new Promise((r) => setImmediate(r));
      assert.equal(main.windows.length, count + 1, 'main opens one window');
      mainWindow = main.windows[count];
    });

    test('takes the single-instance lock and registers the scheme as privileged before ready', () => {
      assert.ok(main.log.includes('requestSingleInstanceLock'));
      assert.ok(main.log.indexOf('registerSchemesAsPrivileged') < main.log.indexOf('whenReady'));
      assert.ok(main.log.indexOf('enableSandbox') < main.log.indexOf('whenReady'));
      assert.deepEqual(main.schemes, [
        { scheme: 'mxdesk', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
      ]);
      assert.ok(main.appListeners.get('second-instance')?.length, 'a second start is routed to the first window');
    });

    test('loads the UI from mxdesk://app/, never file://', () => {
      assert.deepEqual(mainWindow.loaded, ['mxdesk://app/index.html']);
    });

    test('denies every permission request and check', () => {
      let granted: boolean | undefined;
      main.permission.request?.({}, 'media', (g: boolean) => (granted = g));
      assert.equal(granted, false);
      assert.equal(main.permission.check?.({}, 'clipboard-read'), false);
      assert.equal(main.permission.device?.({}), false);
    });

    test('denies navigation, redirects and webviews on every web contents', () => {
      const wc = new FakeWebContents();
      for (const l of main.appListeners.get('web-contents-created') ?? []) l({}, wc);
      for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
        let prevented = false;
        for (const l of wc.listeners.get(event) ?? []) l({ preventDefault: () => (prevented = true) });
        assert.ok(prevented, `${event} is prevented`);
      }
    });

    test('window.open is denied; only allow-listed https links go to the system browser', () => {
      const wc = mainWindow.webContents;
      const open = wc.windowOpenHandler!;
      for (const url of ['https://www.rfc-editor.org/rfc/rfc5321#section-4.5.2', 'http://www.rfc-editor.org/', 'https://evil.example/', 'file:///etc/passwd', 'https://user@www.iana.org/', 'javascript:alert(1)']) {
        assert.deepEqual(open({ url }), { action: 'deny' }, url);
      }
      assert.deepEqual(main.openedExternal, ['https://www.rfc-editor.org/rfc/rfc5321#section-4.5.2']);
    });

    test('registers every IPC channel through the wrapper at start', async () => {
      assert.deepEqual([...main.handlers.keys()].sort(), Object.values(REQUEST_CHANNELS).sort());
      const r = await main.handlers.get(REQUEST_CHANNELS.hostInfo)!({ senderFrame: { url: 'mxdesk://app/index.html', parent: null } }, {});
      assert.equal((r as { ok: boolean; value: { host: string } }).value.host, 'electron');
    });

    test('the app protocol serves the renderer folder and refuses paths outside it', async () => {
      const handle = main.protocolHandlers.get('mxdesk')!;
      const get = (url: string) => handle(new Request(url)) as Promise<Response>;
      const index = await get('mxdesk://app/index.html');
      assert.equal(index.status, 200);
      assert.match(index.headers.get('content-security-policy') ?? '', /connect-src 'none'/);
      for (const url of ['mxdesk://app/%2e%2e/electron/main.js', 'mxdesk://app/..%2f..%2fpackage.json', 'mxdesk://app/%5c..%5cpackage.json', 'mxdesk://other/index.html']) {
        assert.equal((await get(url)).status, 404, url);
      }
    });
  });

  test('electron-builder.yml passes electron-builder\'s schema and sets the security fuses', async () => {
    const req = createRequire(join(ROOT, 'package.json'));
    const yaml = req('js-yaml') as { load(text: string): Record<string, unknown> };
    const { validateConfiguration } = req('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = req('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = yaml.load(read('electron-builder.yml'));
    await validateConfiguration(config, new DebugLogger(false));
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  test('the sandboxed preload bundle requires only electron, and web mode never loads electron', () => {
    const requires = (file: string): string[] => [...new Set([...read(file).matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
    assert.deepEqual(requires('dist/electron/preload.js'), ['electron']);
    assert.ok(!requires('dist/web/server.js').includes('electron'), 'dist/web/server.js must not require electron');
  });

  test('no source file uses dangerouslySetInnerHTML', () => {
    const offenders = ['renderer', 'electron', 'shared']
      .flatMap((d) => filesUnder(join(ROOT, d), /\.(ts|tsx)$/))
      .filter((f) => readFileSync(f, 'utf8').includes('dangerouslySetInnerHTML'))
      .map(rel);
    assert.deepEqual(offenders, []);
  });
});
