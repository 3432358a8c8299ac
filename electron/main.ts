/**
 * The Electron main process: composition only. Every decision lives in a module next to this
 * one (and is tested there); this file wires Electron's objects into them. The sync server is
 * never started from here: it is a separate process (scripts/start.ts, or a real deployment).
 */
import {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  safeStorage,
  screen,
  type WebContents,
} from 'electron';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppInfo } from './app-info.ts';
import { createAppProtocolHandler } from './app-protocol.ts';
import { createCredentialsStore } from './credentials-store.ts';
import { createCustomerDisplayOpener } from './customer-display-window.ts';
import { registerBridgeHandlers } from './ipc.ts';
import { createStderrLogger, describeError } from './logger.ts';
import {
  createNetworkPolicy,
  credentialsFollowedByPolicy,
  installNetworkPolicy,
  type NetworkPolicy,
} from './network-policy.ts';
import { sendEscPos } from './escpos-printer.ts';
import { createPrinting } from './printing.ts';
import {
  ANY_HTTP_SERVER,
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  buildContentSecurityPolicy,
  hardenContents,
  isTrustedSenderFrame,
} from './security.ts';
import { posWindowOptions } from './window.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const logger = createStderrLogger((line) => process.stderr.write(line));

// Must happen before 'ready', so synchronously while this module is evaluated.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let posWindow: BrowserWindow | null = null;

// The display window shares the default session with the POS window, so its network lock too;
// Electron's screen module is read only when the display opens, after 'ready'.
const customerDisplay = createCustomerDisplayOpener({
  createWindow: (options) => new BrowserWindow(options),
  screens: () => ({ all: screen.getAllDisplays(), primaryId: screen.getPrimaryDisplay().id }),
  lockDown: (window) => {
    hardenContents(window.webContents, { logger });
  },
  logger,
  devTools: !app.isPackaged,
});

function openPosWindow(networkPolicy: NetworkPolicy): void {
  const window = new BrowserWindow(
    posWindowOptions(path.join(here, 'preload.cjs'), { devTools: !app.isPackaged }),
  );
  hardenContents(window.webContents, { logger });
  installNetworkPolicy(window.webContents.session.webRequest, networkPolicy, logger);
  window.once('ready-to-show', () => {
    window.show();
  });
  window.on('closed', () => {
    posWindow = null;
    customerDisplay.close();
  });
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    logger.error('The POS page did not load', { error: describeError(error) });
    // Never leave an invisible app running: show whatever Chromium could render.
    window.show();
  });
  posWindow = window;
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const info = createAppInfo(app.getVersion(), process.env);

  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({
      rendererDir: path.join(here, '..', 'renderer'),
      readFile: (filePath) => fs.readFile(filePath),
      contentSecurityPolicy: buildContentSecurityPolicy(ANY_HTTP_SERVER),
    }),
  );

  const credentialsStore = createCredentialsStore({
    filePath: path.join(userData, 'terminal-credentials.bin'),
    safeStorage,
    fs,
    logger,
    platform: process.platform,
  });
  // The network lock starts from what is saved, and moves with every save and clear after.
  const networkPolicy = createNetworkPolicy({
    enrolledServerUrl: (await credentialsStore.load())?.serverUrl ?? null,
    configuredServerUrl: info.serverUrl,
  });
  const credentials = credentialsFollowedByPolicy(credentialsStore, networkPolicy);
  const printing = createPrinting({ userDataPath: userData, fs });
  registerBridgeHandlers<WebContents>(
    ipcMain,
    {
      appInfo: () => Promise.resolve(info),
      listPrinters: (sender) => printing.listPrinters(sender),
      printReceipt: (sender, request) => printing.printReceipt(sender, request),
      // Straight to the printer over the shop's network: receipts print while offline too.
      printEscPos: (request) => sendEscPos(request),
      loadCredentials: () => credentials.load(),
      saveCredentials: (value) => credentials.save(value),
      clearCredentials: () => credentials.clear(),
      openCustomerDisplay: () => customerDisplay.open(),
    },
    (event) => isTrustedSenderFrame(event.senderFrame),
  );

  openPosWindow(networkPolicy);
  app.on('activate', () => {
    if (posWindow === null) openPosWindow(networkPolicy);
  });
}

// Two windows on one IndexedDB would be two counters sharing one till: allow one instance.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (posWindow === null) return;
    if (posWindow.isMinimized()) posWindow.restore();
    posWindow.focus();
  });
  // A counter has one job; closing its window ends the app, on macOS too.
  app.on('window-all-closed', () => {
    app.quit();
  });
  start().catch((error: unknown) => {
    logger.error('Entitle POS could not start', { error: describeError(error) });
    app.exit(1);
  });
}
