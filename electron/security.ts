import type { WebPreferences } from 'electron';
import type { Logger } from './logger.ts';

/**
 * The POS is served from its own scheme instead of file:// so that it has a stable, unique
 * origin: IndexedDB (where all the counter's data lives) is keyed by origin, and file:// pages
 * share one opaque origin with every other local file.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'pos';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Must be registered before the app is ready (protocol.registerSchemesAsPrivileged). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: real origin and relative URLs; secure: counts as a secure context (IndexedDB,
  // crypto.subtle); supportFetchAPI: the renderer may fetch its own assets.
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

/** Exactly app://pos/…: no other host, no port, no user info. Anything unparsable is untrusted. */
export function isTrustedAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** An IPC sender is trusted only while its frame still shows the app (null: frame gone). */
export function isTrustedSenderFrame(frame: { readonly url: string } | null | undefined): boolean {
  return frame != null && isTrustedAppUrl(frame.url);
}

/** The origin of an http(s) URL, or null for anything else (so it never widens the CSP). */
export function httpOrigin(url: string | null): string | null {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * Stripe Terminal's JavaScript SDK must be loaded from js.stripe.com (PCI: it may not be bundled
 * or self-hosted), then talks to Stripe's API and, for smart readers, to the reader on the local
 * network through *.stripe-terminal-local-reader.net. These are the only third parties the POS
 * page may reach, and only over https.
 */
export const STRIPE_TERMINAL_SCRIPT_ORIGIN = 'https://js.stripe.com';
const STRIPE_TERMINAL_HOST_SUFFIXES = ['.stripe.com', '.stripe-terminal-local-reader.net'];

export function isStripeTerminalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') {
      return false;
    }
    return STRIPE_TERMINAL_HOST_SUFFIXES.some((suffix) => parsed.hostname.endsWith(suffix));
  } catch {
    return false;
  }
}

/**
 * Passed to buildContentSecurityPolicy by the desktop app: connect to any http(s) origin,
 * because the main process enforces which one (network-policy.ts).
 */
export const ANY_HTTP_SERVER: unique symbol = Symbol('any http(s) server');

/**
 * The app's only network peer is the sync server; everything else is its own bundled files.
 * No 'unsafe-inline' anywhere: React sets style properties through the CSSOM, which CSP allows.
 *
 * connect-src depends on who holds the network lock:
 * - the desktop app (ANY_HTTP_SERVER): `'self' https: http:`. A new terminal learns its server
 *   only when the cashier types it on the enrolment screen, and a CSP header cannot follow that
 *   without a reload, so the real allow-list (the enrolled server only) is enforced in the main
 *   process by session.webRequest, in network-policy.ts;
 * - the web POS (a server URL): that server's origin only, since a browser has no main process
 *   and the host names the server in config.json before the page loads;
 * - anything else (null, not http(s)): the app itself only.
 */
export function buildContentSecurityPolicy(server: string | null | typeof ANY_HTTP_SERVER): string {
  const connect =
    server === ANY_HTTP_SERVER
      ? ['https:', 'http:']
      : [httpOrigin(server)].filter((o) => o !== null);
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", STRIPE_TERMINAL_SCRIPT_ORIGIN],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    [
      'connect-src',
      "'self'",
      ...connect,
      'https://*.stripe.com',
      'https://*.stripe-terminal-local-reader.net',
    ],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((parts) => parts.join(' ')).join('; ');
}

/** Every security-relevant preference spelled out, even where it is Electron's default. */
export function secureWebPreferences(
  preloadPath: string,
  options: { readonly devTools: boolean },
): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.devTools,
  };
}

export type NavigationAttempt = { readonly url: string; preventDefault(): void };

/** The parts of Electron's Session and WebContents that hardenContents touches. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

export interface HardenableContents {
  on(
    event: 'will-frame-navigate' | 'will-redirect',
    listener: (event: NavigationAttempt) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void;
  readonly session: PermissionSession;
}

/**
 * Locks a window's contents to the app: no navigation away (any frame, redirects included),
 * no new windows, no <webview>, and no permission (camera, notifications, …) ever granted.
 */
export function hardenContents(
  contents: HardenableContents,
  deps: { readonly logger: Logger },
): void {
  const { logger } = deps;
  const guardNavigation = (event: NavigationAttempt): void => {
    if (isTrustedAppUrl(event.url)) return;
    event.preventDefault();
    logger.warn('Blocked navigation away from the app', { url: event.url });
  };
  contents.on('will-frame-navigate', guardNavigation);
  contents.on('will-redirect', guardNavigation);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('Blocked a <webview>');
  });
  contents.setWindowOpenHandler((details) => {
    logger.warn('Blocked a new window', { url: details.url });
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('Denied a permission request', { permission });
    callback(false);
  });
  contents.session.setPermissionCheckHandler(() => false);
}
