import { describe, expect, it } from 'vitest';
import type { TerminalCredentials } from '../shared/schemas/protocol.ts';
import { BRIDGE_CHANNELS, type AppInfo, type PrintRequest } from './bridge-contract.ts';
import {
  registerBridgeHandlers,
  type BridgeHandlers,
  type InvokeEvent,
  type IpcMainLike,
} from './ipc.ts';
import { isTrustedSenderFrame } from './security.ts';
import { validCredentials } from './test-support/fakes.ts';

type Sender = { readonly id: number };
type Listener = (event: InvokeEvent<Sender>, ...args: unknown[]) => Promise<unknown>;

const INFO: AppInfo = { shell: 'electron', version: '0.1.0', serverUrl: null, demo: false };
const APP_FRAME = { url: 'app://pos/index.html' };

function setup() {
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainLike<Sender> = {
    handle(channel, listener) {
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
      listeners.set(channel, listener);
    },
  };
  const calls: { method: string; args: unknown[] }[] = [];
  const record = <T>(method: string, args: unknown[], value: T): Promise<T> => {
    calls.push({ method, args });
    return Promise.resolve(value);
  };
  const handlers: BridgeHandlers<Sender> = {
    appInfo: () => record('appInfo', [], INFO),
    listPrinters: (sender) => record('listPrinters', [sender], []),
    printReceipt: (sender, request: PrintRequest) =>
      record('printReceipt', [sender, request], { ok: true }),
    printEscPos: (request) => record('printEscPos', [request], { ok: true }),
    loadCredentials: () => record('loadCredentials', [], null),
    saveCredentials: (credentials: TerminalCredentials) =>
      record('saveCredentials', [credentials], undefined),
    clearCredentials: () => record('clearCredentials', [], undefined),
    openCustomerDisplay: () => record('openCustomerDisplay', [], { ok: true }),
  };
  registerBridgeHandlers(ipcMain, handlers, (event) => isTrustedSenderFrame(event.senderFrame));
  const invoke = (
    channel: string,
    args: unknown[],
    frame: { url: string } | null = APP_FRAME,
  ): Promise<unknown> => {
    const listener = listeners.get(channel);
    if (listener === undefined) throw new Error(`nothing handles ${channel}`);
    return listener({ sender: { id: 7 }, senderFrame: frame }, ...args);
  };
  return { listeners, calls, invoke };
}

describe('registerBridgeHandlers', () => {
  it('handles exactly the bridge channels', () => {
    const { listeners } = setup();
    expect([...listeners.keys()].sort()).toEqual(Object.values(BRIDGE_CHANNELS).sort());
  });

  describe.each(Object.values(BRIDGE_CHANNELS))('%s', (channel) => {
    it.each([
      ['a foreign page', { url: 'https://evil.example/' }],
      ['a look-alike host', { url: 'app://pos.evil/index.html' }],
      ['a local file', { url: 'file:///tmp/evil.html' }],
      ['a frame that is gone', null],
    ])('refuses %s and calls nothing', async (_name, frame) => {
      const { invoke, calls } = setup();
      await expect(invoke(channel, [], frame)).rejects.toThrow(/did not come from the Entitle app/);
      expect(calls).toEqual([]);
    });
  });

  it('answers the app, passing the sender to printing', async () => {
    const { invoke, calls } = setup();
    expect(await invoke(BRIDGE_CHANNELS.appInfo, [])).toEqual(INFO);
    const request = { mode: 'silent', printerName: 'Till' };
    expect(await invoke(BRIDGE_CHANNELS.printReceipt, [request])).toEqual({ ok: true });
    await invoke(BRIDGE_CHANNELS.listPrinters, []);
    expect(calls).toEqual([
      { method: 'appInfo', args: [] },
      { method: 'printReceipt', args: [{ id: 7 }, request] },
      { method: 'listPrinters', args: [{ id: 7 }] },
    ]);
  });

  it('passes valid credentials through', async () => {
    const { invoke, calls } = setup();
    await invoke(BRIDGE_CHANNELS.saveCredentials, [validCredentials()]);
    expect(calls).toEqual([{ method: 'saveCredentials', args: [validCredentials()] }]);
  });

  it.each([
    [[{ mode: 'fax' }], /bad argument: mode: Invalid discriminator/],
    [[{ mode: 'pdf' }], /bad argument: fileName: /],
    [[{ mode: 'pdf', fileName: '' }], /bad argument: fileName: /],
    [[{ mode: 'silent', printerName: 42 }], /bad argument: printerName: /],
    [[{ mode: 'dialog', deviceName: 'x' }], /bad argument: .*deviceName/],
    [['silent'], /bad argument: Invalid input/],
    [[], /takes exactly one argument, but was given 0/],
    [[{ mode: 'dialog' }, { mode: 'dialog' }], /takes exactly one argument, but was given 2/],
  ])('rejects print request %j', async (args, message) => {
    const { invoke, calls } = setup();
    await expect(invoke(BRIDGE_CHANNELS.printReceipt, args)).rejects.toThrow(message);
    expect(calls).toEqual([]);
  });

  it.each([
    [
      { ...validCredentials(), token: 'short' },
      /^entitle:save-credentials was given a bad argument: token: /,
    ],
    [{ ...validCredentials(), serverUrl: 'not a url' }, /serverUrl/],
    [{ ...validCredentials(), extra: true }, /Unrecognized key: "extra"/],
    [null, /bad argument: Invalid input/],
  ])('rejects credentials %#', async (credentials, message) => {
    const { invoke, calls } = setup();
    await expect(invoke(BRIDGE_CHANNELS.saveCredentials, [credentials])).rejects.toThrow(message);
    expect(calls).toEqual([]);
  });

  it.each([
    BRIDGE_CHANNELS.appInfo,
    BRIDGE_CHANNELS.listPrinters,
    BRIDGE_CHANNELS.loadCredentials,
    BRIDGE_CHANNELS.clearCredentials,
  ])('%s refuses arguments it does not take', async (channel) => {
    const { invoke, calls } = setup();
    await expect(invoke(channel, ['surprise'])).rejects.toThrow(/takes no argument/);
    expect(calls).toEqual([]);
  });
});
