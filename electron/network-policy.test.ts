import type { WebRequest } from 'electron';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { TerminalCredentials } from '../shared/schemas/protocol.ts';
import { BRIDGE_CHANNELS } from './bridge-contract.ts';
import type { CredentialsStore } from './credentials-store.ts';
import { registerBridgeHandlers, type InvokeEvent, type IpcMainLike } from './ipc.ts';
import {
  createNetworkPolicy,
  credentialsFollowedByPolicy,
  describeRequestOrigin,
  installNetworkPolicy,
  type WebRequestLike,
} from './network-policy.ts';
import { isTrustedSenderFrame } from './security.ts';
import { recordingLogger, validCredentials } from './test-support/fakes.ts';

const ENROLLED = 'https://sync.example.test/api/v1';
const CONFIGURED = 'http://localhost:8787';

/** Always allowed, whatever the enrolment. */
const ALWAYS = [
  'app://pos/index.html',
  // Stripe Terminal: its SDK, its API and a smart reader on the shop's network.
  'https://js.stripe.com/terminal/v1/',
  'https://api.stripe.com/v1/terminal/connection_tokens',
  'https://192-168-1-5.abc.device.stripe-terminal-local-reader.net:4443/protojsonservice',
  'app://pos/assets/index-abc123.js',
  'data:image/png;base64,iVBORw0KGgo=',
  'blob:app://pos/5b8f1c0e-0000-4000-8000-000000000000',
];

/** Never allowed, whatever the enrolment. */
const NEVER = [
  'file:///etc/passwd',
  'file://sync.example.test/api/v1',
  'ftp://sync.example.test/',
  'javascript:alert(1)',
  'ws://sync.example.test/',
  'wss://sync.example.test/',
  'chrome://settings',
  'app://pos.evil/index.html',
  'app://evil/',
  'app://user@pos/',
  'not a url',
  '',
];

describe('createNetworkPolicy: not enrolled', () => {
  const policy = createNetworkPolicy({ enrolledServerUrl: null, configuredServerUrl: null });

  it.each([
    ...ALWAYS,
    // The cashier must reach whatever address they type on the enrolment screen.
    'https://sync.example.test/api/v1/enrol',
    'http://192.168.1.20:8787/api/v1/enrol',
    'http://localhost:8787/',
    'https://another-server.example/anything?token=x',
  ])('allows %s', (url) => {
    expect(policy.allows(url)).toBe(true);
  });

  it.each(NEVER)('refuses %s', (url) => {
    expect(policy.allows(url)).toBe(false);
  });
});

describe('createNetworkPolicy: enrolled', () => {
  const policy = createNetworkPolicy({
    enrolledServerUrl: ENROLLED,
    configuredServerUrl: CONFIGURED,
  });

  it.each([
    ...ALWAYS,
    'https://sync.example.test/api/v1/pull?checkpoint=3',
    'https://sync.example.test:443/api/v1/push',
    'https://SYNC.example.test/api/v1/stream',
    'http://localhost:8787/api/v1/health',
  ])('allows %s', (url) => {
    expect(policy.allows(url)).toBe(true);
  });

  it.each([
    ...NEVER,
    // Same host, another port or scheme: another origin.
    'https://sync.example.test:8443/api/v1/pull',
    'http://sync.example.test/api/v1/pull',
    'https://localhost:8787/',
    'http://localhost:8788/',
    'http://127.0.0.1:8787/',
    // Look-alikes and other servers.
    'https://sync.example.test.evil.example/',
    'https://evil.example/?to=https://sync.example.test',
    'https://another-server.example/',
    // Stripe only over https, only its own domains.
    'http://js.stripe.com/terminal/v1/',
    'https://js.stripe.com.evil.example/',
    'https://evilstripe.com/',
    'https://user:pw@api.stripe.com/',
  ])('refuses %s', (url) => {
    expect(policy.allows(url)).toBe(false);
  });

  it('allows only the enrolled origin when no server was configured', () => {
    const only = createNetworkPolicy({ enrolledServerUrl: ENROLLED, configuredServerUrl: null });
    expect(only.allows('https://sync.example.test/x')).toBe(true);
    expect(only.allows('http://localhost:8787/x')).toBe(false);
  });

  it('ignores a configured server that is not http(s)', () => {
    const policy = createNetworkPolicy({
      enrolledServerUrl: ENROLLED,
      configuredServerUrl: 'file:///tmp/server',
    });
    expect(policy.allows('file:///tmp/server')).toBe(false);
  });

  it('stays locked (to the configured server only) when enrolled with a non-http(s) URL', () => {
    const odd = createNetworkPolicy({
      enrolledServerUrl: 'ftp://sync.example.test/',
      configuredServerUrl: CONFIGURED,
    });
    expect(odd.allows('http://localhost:8787/x')).toBe(true);
    expect(odd.allows('https://sync.example.test/x')).toBe(false);
    expect(odd.allows('https://another-server.example/')).toBe(false);
  });
});

describe('createNetworkPolicy: changes at run time', () => {
  it('locks on enrolment, moves on re-enrolment, and opens again when cleared', () => {
    const policy = createNetworkPolicy({ enrolledServerUrl: null, configuredServerUrl: null });
    expect(policy.allows('https://another-server.example/')).toBe(true);

    policy.enrolled(ENROLLED);
    expect(policy.allows('https://sync.example.test/api/v1/pull')).toBe(true);
    expect(policy.allows('https://another-server.example/')).toBe(false);

    policy.enrolled('https://another-server.example/api/v1');
    expect(policy.allows('https://another-server.example/api/v1/pull')).toBe(true);
    expect(policy.allows('https://sync.example.test/api/v1/pull')).toBe(false);

    policy.cleared();
    expect(policy.allows('https://sync.example.test/api/v1/pull')).toBe(true);
    expect(policy.allows('https://another-server.example/')).toBe(true);
    expect(policy.allows('file:///etc/passwd')).toBe(false);
    expect(policy.allows('app://pos/index.html')).toBe(true);
  });
});

describe('describeRequestOrigin', () => {
  it.each([
    ['https://sync.example.test/api/v1/pull?token=secret', 'https://sync.example.test'],
    ['http://user:pw@localhost:8787/x', 'http://localhost:8787'],
    ['file:///home/cashier/secret.txt', 'file:'],
    ['javascript:alert(document.cookie)', 'javascript:'],
    ['not a url', 'an unparsable URL'],
  ])('%s → %s', (url, origin) => {
    expect(describeRequestOrigin(url)).toBe(origin);
  });
});

type Listener = Parameters<WebRequestLike['onBeforeRequest']>[0];

function fakeWebRequest() {
  const state = { listener: undefined as Listener | undefined, installs: 0 };
  const webRequest: WebRequestLike = {
    onBeforeRequest(listener) {
      state.installs += 1;
      state.listener = listener;
    },
  };
  /** Sends a request through the listener like Electron would; returns its answer. */
  const request = (url: string): unknown => {
    const answers: unknown[] = [];
    state.listener?.({ url }, (response) => answers.push(response));
    expect(answers).toHaveLength(1);
    return answers[0];
  };
  return { webRequest, state, request };
}

describe('installNetworkPolicy', () => {
  it('is typed against what Electron passes in', () => {
    expectTypeOf<WebRequest>().toExtend<WebRequestLike>();
  });

  it('lets allowed requests through untouched', () => {
    const fake = fakeWebRequest();
    const logger = recordingLogger();
    const policy = createNetworkPolicy({ enrolledServerUrl: ENROLLED, configuredServerUrl: null });
    installNetworkPolicy(fake.webRequest, policy, logger);
    expect(fake.request('https://sync.example.test/api/v1/pull')).toEqual({});
    expect(fake.request('app://pos/index.html')).toEqual({});
    expect(logger.entries).toEqual([]);
  });

  it('cancels refused requests and logs their origin, never the URL', () => {
    const fake = fakeWebRequest();
    const logger = recordingLogger();
    const policy = createNetworkPolicy({ enrolledServerUrl: ENROLLED, configuredServerUrl: null });
    installNetworkPolicy(fake.webRequest, policy, logger);
    expect(fake.request('https://evil.example/steal?token=tok_secret')).toEqual({ cancel: true });
    expect(fake.request('file:///etc/passwd')).toEqual({ cancel: true });
    expect(logger.entries.map((entry) => [entry.level, entry.details])).toEqual([
      ['warn', { origin: 'https://evil.example' }],
      ['warn', { origin: 'file:' }],
    ]);
    expect(JSON.stringify(logger.entries)).not.toMatch(/tok_secret|steal|passwd/);
  });

  it('follows the policy as it changes after installation', () => {
    const fake = fakeWebRequest();
    const policy = createNetworkPolicy({ enrolledServerUrl: null, configuredServerUrl: null });
    installNetworkPolicy(fake.webRequest, policy, recordingLogger());
    expect(fake.request('https://another-server.example/')).toEqual({});
    policy.enrolled(ENROLLED);
    expect(fake.request('https://another-server.example/')).toEqual({ cancel: true });
    policy.cleared();
    expect(fake.request('https://another-server.example/')).toEqual({});
  });
});

function memoryStore(initial: TerminalCredentials | null = null) {
  const state = { saved: initial, failNext: false };
  const failOnce = (): Promise<void> | null => {
    if (!state.failNext) return null;
    state.failNext = false;
    return Promise.reject(new Error('the keychain is locked'));
  };
  const store: CredentialsStore = {
    load: () => Promise.resolve(state.saved),
    save: (credentials) => {
      const failure = failOnce();
      if (failure !== null) return failure;
      state.saved = credentials;
      return Promise.resolve();
    },
    clear: () => {
      const failure = failOnce();
      if (failure !== null) return failure;
      state.saved = null;
      return Promise.resolve();
    },
  };
  return { store, state };
}

const OTHER = 'https://another-server.example/';
const SYNC = 'https://sync.example.test/api/v1/pull';

describe('credentialsFollowedByPolicy', () => {
  it('locks to the server of saved credentials, and opens again when cleared', async () => {
    const { store, state } = memoryStore();
    const policy = createNetworkPolicy({ enrolledServerUrl: null, configuredServerUrl: null });
    const credentials = credentialsFollowedByPolicy(store, policy);

    await credentials.save(validCredentials());
    expect(state.saved).toEqual(validCredentials());
    expect([policy.allows(SYNC), policy.allows(OTHER)]).toEqual([true, false]);

    await credentials.clear();
    expect(state.saved).toBeNull();
    expect([policy.allows(SYNC), policy.allows(OTHER)]).toEqual([true, true]);
  });

  it('leaves the policy alone when a save or clear fails', async () => {
    const { store, state } = memoryStore();
    const policy = createNetworkPolicy({ enrolledServerUrl: null, configuredServerUrl: null });
    const credentials = credentialsFollowedByPolicy(store, policy);

    state.failNext = true;
    await expect(credentials.save(validCredentials())).rejects.toThrow(/keychain/);
    expect(policy.allows(OTHER)).toBe(true);

    await credentials.save(validCredentials());
    state.failNext = true;
    await expect(credentials.clear()).rejects.toThrow(/keychain/);
    expect(policy.allows(OTHER)).toBe(false);
  });

  it('locks when a load finds credentials, and never opens on a load that finds none', async () => {
    const policy = createNetworkPolicy({ enrolledServerUrl: null, configuredServerUrl: null });
    expect(await credentialsFollowedByPolicy(memoryStore().store, policy).load()).toBeNull();
    expect(policy.allows(OTHER)).toBe(true);

    const { store } = memoryStore(validCredentials());
    expect(await credentialsFollowedByPolicy(store, policy).load()).toEqual(validCredentials());
    expect(policy.allows(OTHER)).toBe(false);

    await credentialsFollowedByPolicy(memoryStore().store, policy).load();
    expect(policy.allows(OTHER)).toBe(false);
  });

  it('moves the lock when the bridge saves or clears credentials', async () => {
    type Sender = { readonly id: number };
    type IpcListener = (event: InvokeEvent<Sender>, ...args: unknown[]) => Promise<unknown>;
    const listeners = new Map<string, IpcListener>();
    const ipcMain: IpcMainLike<Sender> = {
      handle(channel, listener) {
        listeners.set(channel, listener);
      },
    };
    const policy = createNetworkPolicy({ enrolledServerUrl: null, configuredServerUrl: null });
    const credentials = credentialsFollowedByPolicy(memoryStore().store, policy);
    registerBridgeHandlers<Sender>(
      ipcMain,
      {
        appInfo: () => Promise.reject(new Error('not used')),
        listPrinters: () => Promise.resolve([]),
        printReceipt: () => Promise.resolve({ ok: true }),
        printEscPos: () => Promise.resolve({ ok: true }),
        loadCredentials: () => credentials.load(),
        saveCredentials: (value) => credentials.save(value),
        clearCredentials: () => credentials.clear(),
        openCustomerDisplay: () => Promise.resolve({ ok: true }),
      },
      (event) => isTrustedSenderFrame(event.senderFrame),
    );
    const invoke = (channel: string, ...args: unknown[]): Promise<unknown> => {
      const listener = listeners.get(channel);
      if (listener === undefined) throw new Error(`nothing handles ${channel}`);
      return listener({ sender: { id: 1 }, senderFrame: { url: 'app://pos/index.html' } }, ...args);
    };

    await invoke(BRIDGE_CHANNELS.saveCredentials, validCredentials());
    expect(policy.allows(OTHER)).toBe(false);
    await invoke(BRIDGE_CHANNELS.clearCredentials);
    expect(policy.allows(OTHER)).toBe(true);
    // A refused (invalid) save changes nothing.
    await expect(
      invoke(BRIDGE_CHANNELS.saveCredentials, { ...validCredentials(), token: 'short' }),
    ).rejects.toThrow(/bad argument/);
    expect(policy.allows(OTHER)).toBe(true);
  });
});
