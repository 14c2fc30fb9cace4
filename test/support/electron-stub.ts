import Module from 'node:module';

/**
 * A recording stand-in for the `electron` module, so tests can load the real main-process files (TS source
 * or the built bundles) without an Electron binary and check what they ask Electron to do.
 */
type Fn = (...args: unknown[]) => unknown;
type Listener = (...args: unknown[]) => void;

export class FakeWebContents {
  readonly listeners = new Map<string, Listener[]>();
  readonly sent: { channel: string; data: unknown }[] = [];
  windowOpenHandler: Fn | null = null;
  destroyed = false;
  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  setWindowOpenHandler(fn: Fn): void {
    this.windowOpenHandler = fn;
  }
  send(channel: string, data: unknown): void {
    this.sent.push({ channel, data });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export interface FakeElectron {
  log: string[];
  exposed: Map<string, unknown>;
  ipcRenderer: { invoke: Fn; on: Fn; removeListener: Fn; invocations: { channel: string; arg: unknown }[] };
  handlers: Map<string, Fn>;
  windows: { options: Record<string, unknown>; loaded: string[]; webContents: FakeWebContents }[];
  appListeners: Map<string, Listener[]>;
  schemes: unknown[];
  protocolHandlers: Map<string, Fn>;
  permission: { request?: Fn; check?: Fn; device?: Fn };
  openedExternal: string[];
  module: Record<string, unknown>;
}

export function createFakeElectron(opts: { singleInstance?: boolean } = {}): FakeElectron {
  const f: FakeElectron = {
    log: [],
    exposed: new Map(),
    ipcRenderer: {
      invocations: [],
      invoke: (channel, arg) => {
        f.ipcRenderer.invocations.push({ channel: String(channel), arg });
        return Promise.resolve({ ok: true, value: null });
      },
      on: () => undefined,
      removeListener: () => undefined,
    },
    handlers: new Map(),
    windows: [],
    appListeners: new Map(),
    schemes: [],
    protocolHandlers: new Map(),
    permission: {},
    openedExternal: [],
    module: {},
  };
  class BrowserWindow {
    readonly webContents = new FakeWebContents();
    readonly record: FakeElectron['windows'][number];
    constructor(options: Record<string, unknown>) {
      f.log.push('new BrowserWindow');
      this.record = { options, loaded: [], webContents: this.webContents };
      f.windows.push(this.record);
      // What Electron does: every new web contents is announced to the app.
      for (const l of f.appListeners.get('web-contents-created') ?? []) l({}, this.webContents);
    }
    once(): this {
      return this;
    }
    on(): this {
      return this;
    }
    loadURL(url: string): Promise<void> {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed(): boolean {
      return false;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    show(): void {}
    focus(): void {}
    setBackgroundColor(): void {}
  }
  f.module = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => f.exposed.set(key, value) },
    ipcRenderer: f.ipcRenderer,
    ipcMain: {
      handle: (channel: string, fn: Fn) => f.handlers.set(channel, fn),
      removeHandler: (channel: string) => f.handlers.delete(channel),
    },
    BrowserWindow,
    // No keyring in tests: the secret store falls back to memory for the session.
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: () => new Uint8Array(),
      decryptString: () => '',
    },
    nativeTheme: { shouldUseDarkColors: false, on: () => undefined, off: () => undefined },
    shell: { openExternal: (url: string) => (f.openedExternal.push(url), Promise.resolve()) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        f.log.push('registerSchemesAsPrivileged');
        f.schemes.push(...schemes);
      },
      handle: (scheme: string, fn: Fn) => f.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Fn) => (f.permission.request = fn),
        setPermissionCheckHandler: (fn: Fn) => (f.permission.check = fn),
        setDevicePermissionHandler: (fn: Fn) => (f.permission.device = fn),
      },
    },
    app: {
      enableSandbox: () => f.log.push('enableSandbox'),
      requestSingleInstanceLock: () => (f.log.push('requestSingleInstanceLock'), opts.singleInstance ?? true),
      quit: () => f.log.push('quit'),
      on: (event: string, fn: Listener) => {
        f.appListeners.set(event, [...(f.appListeners.get(event) ?? []), fn]);
      },
      whenReady: () => (f.log.push('whenReady'), Promise.resolve()),
      getVersion: () => '0.0.0-test',
      getPath: () => '/nonexistent/mxdesk-test',
      setPath: (name: string) => f.log.push(`setPath ${name}`),
    },
  };
  return f;
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

/** Routes every `require('electron')` to `fake.module` until the returned restore() is called. */
export function installElectronStub(fake: FakeElectron): () => void {
  const M = Module as unknown as { _load: Loader };
  const original = M._load;
  M._load = function (this: unknown, request, parent, isMain) {
    if (request === 'electron') return fake.module;
    return original.call(this, request, parent, isMain);
  };
  return () => {
    M._load = original;
  };
}
