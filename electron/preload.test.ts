import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_CHANNELS, type EntitleBridge } from './bridge-contract.ts';
import { validCredentials } from './test-support/fakes.ts';

// Electron's binary is not needed: the preload only talks to these two objects.
const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invocations: unknown[][] = [];
  return {
    exposed,
    invocations,
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        exposed.set(key, api);
      },
    },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invocations.push(args);
        return Promise.resolve('answer');
      },
    },
  };
});
vi.mock('electron', () => ({
  contextBridge: electron.contextBridge,
  ipcRenderer: electron.ipcRenderer,
}));

let bridge: EntitleBridge;

beforeAll(async () => {
  await import('./preload.ts');
  bridge = electron.exposed.get('entitle') as EntitleBridge;
});

describe('preload', () => {
  it('exposes one object, window.entitle, with exactly the bridge methods', () => {
    expect([...electron.exposed.keys()]).toEqual(['entitle']);
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(BRIDGE_CHANNELS).sort());
    for (const method of Object.values(bridge)) expect(typeof method).toBe('function');
  });

  it('invokes each method on its own channel, with only its own argument', async () => {
    electron.invocations.length = 0;
    const call = (method: string, ...args: unknown[]): unknown =>
      Reflect.apply(Reflect.get(bridge, method) as (...a: unknown[]) => unknown, bridge, args);
    const credentials = validCredentials();
    const request = { mode: 'pdf', fileName: 'r1' } as const;
    // Extra arguments a page might pass are dropped, not forwarded.
    expect(await call('appInfo', 'extra')).toBe('answer');
    await call('listPrinters', 'extra');
    await call('printReceipt', request, 'extra');
    await call('loadCredentials');
    await call('saveCredentials', credentials, 'extra');
    await call('clearCredentials', 'extra');
    expect(electron.invocations).toEqual([
      [BRIDGE_CHANNELS.appInfo],
      [BRIDGE_CHANNELS.listPrinters],
      [BRIDGE_CHANNELS.printReceipt, request],
      [BRIDGE_CHANNELS.loadCredentials],
      [BRIDGE_CHANNELS.saveCredentials, credentials],
      [BRIDGE_CHANNELS.clearCredentials],
    ]);
  });
});
