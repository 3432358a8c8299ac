import { describe, expect, it } from 'vitest';
import {
  ANY_HTTP_SERVER,
  buildContentSecurityPolicy,
  hardenContents,
  isTrustedAppUrl,
  isTrustedSenderFrame,
  secureWebPreferences,
  type HardenableContents,
  type NavigationAttempt,
} from './security.ts';
import { recordingLogger } from './test-support/fakes.ts';

describe('isTrustedAppUrl', () => {
  it.each([
    ['app://pos/', true],
    ['app://pos/index.html', true],
    ['app://pos/sell/checkout?x=1#top', true],
    ['app://pos.evil/', false],
    ['app://evil.pos/', false],
    ['app://pos:8080/', false],
    ['app://user@pos/', false],
    ['app://user:secret@pos/', false],
    ['app://', false],
    ['app:pos/index.html', false],
    ['apps://pos/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['file://pos/index.html', false],
    ['http://pos/', false],
    ['https://pos/', false],
    ['http://localhost:5173/', false],
    ['data:text/html,<h1>hi</h1>', false],
    ['about:blank', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['', false],
    ['not a url', false],
  ])('%s → %s', (url, trusted) => {
    expect(isTrustedAppUrl(url)).toBe(trusted);
  });
});

describe('isTrustedSenderFrame', () => {
  it('trusts only a live frame that shows the app', () => {
    expect(isTrustedSenderFrame({ url: 'app://pos/index.html' })).toBe(true);
    expect(isTrustedSenderFrame({ url: 'https://evil.example/' })).toBe(false);
    expect(isTrustedSenderFrame(null)).toBe(false);
    expect(isTrustedSenderFrame(undefined)).toBe(false);
  });
});

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

const STRIPE_CONNECT = ['https://*.stripe.com', 'https://*.stripe-terminal-local-reader.net'];

const LOCKED_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'", 'https://js.stripe.com'],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

describe('buildContentSecurityPolicy', () => {
  it('lets the desktop app connect to any http(s) server: the main process holds the lock', () => {
    // The cashier types the server address at enrolment, after the page has loaded; the
    // enrolled-server-only lock is session.webRequest in network-policy.ts.
    const csp = directives(buildContentSecurityPolicy(ANY_HTTP_SERVER));
    expect(Object.fromEntries(csp)).toEqual({
      ...LOCKED_DIRECTIVES,
      'connect-src': ["'self'", 'https:', 'http:', ...STRIPE_CONNECT],
    });
  });

  it('allows only the app itself and a fixed sync server origin (the web POS)', () => {
    const csp = directives(buildContentSecurityPolicy('http://localhost:8787/api/v1'));
    expect(Object.fromEntries(csp)).toEqual({
      ...LOCKED_DIRECTIVES,
      'connect-src': ["'self'", 'http://localhost:8787', ...STRIPE_CONNECT],
    });
  });

  it.each<Parameters<typeof buildContentSecurityPolicy>[0]>([
    ANY_HTTP_SERVER,
    'https://sync.example.test',
    null,
  ])(
    'never allows inline or eval code, nor connects to *, ws:, file:, data: or blob: (%s)',
    (server) => {
      const csp = buildContentSecurityPolicy(server);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(directives(csp).get('connect-src')).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(\*|ws:|wss:|file:|data:|blob:)$/)]),
      );
    },
  );

  it.each([null, 'ftp://files.example.test', 'javascript:alert(1)', 'not a url'])(
    'connects nowhere but itself and Stripe Terminal without an http(s) server URL (%s)',
    (serverUrl) => {
      expect(directives(buildContentSecurityPolicy(serverUrl)).get('connect-src')).toEqual([
        "'self'",
        ...STRIPE_CONNECT,
      ]);
    },
  );
});

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the page, with no Node in it', () => {
    expect(secureWebPreferences('/app/preload.cjs', { devTools: false })).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });
});

type Listener = (event: NavigationAttempt) => void;

function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  const state = {
    windowOpen: undefined as ((details: { url: string }) => { action: 'deny' }) | undefined,
    permissionRequest: undefined as
      | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
      | undefined,
    permissionCheck: undefined as ((contents: unknown, permission: string) => boolean) | undefined,
  };
  const contents: HardenableContents = {
    on(event: string, listener: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler) {
      state.windowOpen = handler;
    },
    session: {
      setPermissionRequestHandler(handler) {
        state.permissionRequest = handler;
      },
      setPermissionCheckHandler(handler) {
        state.permissionCheck = handler;
      },
    },
  };
  /** Fires an event like Electron would; tells whether a listener called preventDefault. */
  const emit = (event: string, url = ''): boolean => {
    let prevented = false;
    const attempt = {
      url,
      preventDefault: () => {
        prevented = true;
      },
    };
    for (const listener of listeners.get(event) ?? []) listener(attempt);
    return prevented;
  };
  return { contents, state, emit, listeners };
}

describe('hardenContents', () => {
  it.each(['will-frame-navigate', 'will-redirect'])(
    'lets %s stay inside the app and stops everything else',
    (event) => {
      const fake = fakeContents();
      const logger = recordingLogger();
      hardenContents(fake.contents, { logger });
      expect(fake.emit(event, 'app://pos/sell')).toBe(false);
      expect(fake.emit(event, 'https://evil.example/')).toBe(true);
      expect(fake.emit(event, 'app://pos.evil/')).toBe(true);
      expect(fake.emit(event, 'file:///etc/passwd')).toBe(true);
      expect(logger.entries.map((entry) => entry.details?.url)).toEqual([
        'https://evil.example/',
        'app://pos.evil/',
        'file:///etc/passwd',
      ]);
    },
  );

  it('refuses to attach a <webview>', () => {
    const fake = fakeContents();
    hardenContents(fake.contents, { logger: recordingLogger() });
    expect(fake.emit('will-attach-webview')).toBe(true);
  });

  it('denies every window.open, even to the app itself', () => {
    const fake = fakeContents();
    hardenContents(fake.contents, { logger: recordingLogger() });
    expect(fake.state.windowOpen?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(fake.state.windowOpen?.({ url: 'app://pos/index.html' })).toEqual({ action: 'deny' });
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid'])(
    'denies the %s permission, on request and on check',
    (permission) => {
      const fake = fakeContents();
      hardenContents(fake.contents, { logger: recordingLogger() });
      const answers: boolean[] = [];
      fake.state.permissionRequest?.(fake.contents, permission, (granted) => answers.push(granted));
      expect(answers).toEqual([false]);
      expect(fake.state.permissionCheck?.(fake.contents, permission)).toBe(false);
    },
  );
});
