/**
 * The Electron shell: lifecycle, the one window, and wiring. Kept thin on purpose; everything
 * behind it is plain Node and tested through the browser host.
 */
import { app, BrowserWindow, ipcMain, powerMonitor, protocol, session, utilityProcess } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { EventMap, EventName } from '../shared/contract';
import { defaultDataDir } from './app';
import { LibraryGate } from './protection/gate';
import { createHandlers } from './rpc/handlers';
import { originOf, registerIpc } from './rpc/register';
import { electronDialogs, electronKeyStore } from './platform/electron';
import { setEngineStarter } from './transcribe/engine';
import { utilityEngineStarter } from './platform/electron-engine';
import { APP_INDEX, APP_ORIGIN, APP_SCHEME, planApp } from './protocol/app';
import { mediaStream, planMedia } from './protocol/media';

export const WEB_PREFERENCES = {
  contextIsolation: true,
  nodeIntegration: false,
  sandbox: true,
  webSecurity: true,
  spellcheck: false,
} as const;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: 'media', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

/**
 * The dev server's address, only while developing: a packaged app never loads a page named by
 * an environment variable.
 */
function devServerUrl(): string | null {
  return !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null;
}

/** Origins whose main frame may call the contract: the app's own, and the dev server's. */
function trustedOrigins(): string[] {
  const dev = devServerUrl();
  const devOrigin = dev ? originOf(dev) : null;
  return devOrigin ? [APP_ORIGIN, devOrigin] : [APP_ORIGIN];
}

// One app per data folder: a second start focuses the first window instead of opening the same
// library twice (the CLI may still write alongside; writes queue, see db/open.ts).
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();
app.on('second-instance', () => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

let mainWindow: BrowserWindow | null = null;
let gate: LibraryGate | null = null;

function dataDirFromArgs(argv: string[]): string {
  const i = argv.indexOf('--data-dir');
  if (i >= 0 && argv[i + 1]) return path.resolve(argv[i + 1]!);
  return process.env.ALLIANCE_REVIEW_DATA_DIR ? defaultDataDir() : app.getPath('userData');
}

/** better-sqlite3(-multiple-ciphers) built for Electron's ABI, kept apart from the Node build that tests use. */
function electronNativeBinding(): string | undefined {
  const candidate = path.join(
    app.getAppPath(),
    'native',
    `electron-${process.versions.electron}`,
    'better_sqlite3_mc.node',
  );
  return fs.existsSync(candidate) ? candidate : undefined;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Alliance Review',
    show: false,
    webPreferences: {
      ...WEB_PREFERENCES,
      // No DevTools in a packaged app.
      devTools: !app.isPackaged,
      preload: path.join(__dirname, '../preload/index.js'),
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(devServerUrl() ?? APP_INDEX);
  return win;
}

export function hardenContents(contents: Electron.WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    const origin = originOf(url);
    if (origin === null || !trustedOrigins().includes(origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

app.on('web-contents-created', (_e, contents) => hardenContents(contents));

// The speech engine runs as a utility process (the packaged app cannot run its binary as Node).
setEngineStarter(
  utilityEngineStarter((file) => utilityProcess.fork(file, [], { stdio: 'pipe', serviceName: 'Transcription engine' })),
);

void app.whenReady().then(() => {
  if (!primaryInstance) return;
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => mainWindow?.webContents.send(event, payload);
  // A protected library opens with the key kept in the OS keychain, or starts locked and the
  // window asks for its passphrase.
  gate = new LibraryGate(
    {
      dataDir: dataDirFromArgs(process.argv),
      nativeBinding: electronNativeBinding(),
      emit,
      scrubAid: true,
      dailyBackups: true,
    },
    electronKeyStore(),
    (locked) => emit('lock:changed', { locked }),
  ).start();
  const g = gate;
  // The machine going to sleep or its screen locking locks a protected library too.
  powerMonitor.on('suspend', () => void g.lock('sleep'));
  powerMonitor.on('lock-screen', () => void g.lock('sleep'));
  const handlers = createHandlers(
    g,
    electronDialogs(() => mainWindow, g.dataDir),
    { host: 'electron', version: app.getVersion() },
  );
  registerIpc(ipcMain, handlers, trustedOrigins());

  // No permission (camera, microphone, notifications, …) is ever granted to the renderer, and
  // none is reported as granted when a page only checks.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The app makes no network requests: block everything that is not its own.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const dev = devServerUrl();
    const local = /^(app|media|devtools|data|blob):/.test(details.url) || (dev !== null && details.url.startsWith(dev));
    callback({ cancel: !local });
  });

  const rendererDir = path.join(__dirname, '../renderer');
  protocol.handle(APP_SCHEME, (request) => {
    const plan = planApp(rendererDir, request.url);
    if (typeof plan.body === 'string') return new Response(plan.body, { status: plan.status, headers: plan.headers });
    return new Response(fs.readFileSync(plan.body.file), { status: plan.status, headers: plan.headers });
  });

  protocol.handle('media', (request) => {
    const c = g.core;
    if (!c) return new Response('The library is locked.', { status: 423 });
    const url = new URL(request.url);
    const plan = planMedia(
      c.library,
      url.pathname.replace(/^\//, ''),
      request.headers.get('range') ?? undefined,
      (id) => c.scrub.readyFile(id),
    );
    if (typeof plan.body === 'string') return new Response(plan.body, { status: plan.status, headers: plan.headers });
    const stream = mediaStream(plan.body);
    return new Response(Readable.toWeb(stream) as ReadableStream, { status: plan.status, headers: plan.headers });
  });

  mainWindow = createWindow();
  mainWindow.on('closed', () => (mainWindow = null));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  gate?.close();
  gate = null;
});
