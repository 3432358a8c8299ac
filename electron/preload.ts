/**
 * Runs in the sandboxed preload of the POS window. It exposes exactly EntitleBridge as
 * `window.entitle`: each method invokes its own channel with its own argument. No channel
 * name, no ipcRenderer and no Node API ever reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_CHANNELS, type EntitleBridge } from './bridge-contract.ts';

type Channel = (typeof BRIDGE_CHANNELS)[keyof typeof BRIDGE_CHANNELS];

// ipcRenderer.invoke resolves to `any`; main validates and answers with the contract's types.
const invoke = <T>(channel: Channel, ...args: unknown[]): Promise<T> =>
  ipcRenderer.invoke(channel, ...args) as Promise<T>;

const bridge: EntitleBridge = {
  appInfo: () => invoke(BRIDGE_CHANNELS.appInfo),
  listPrinters: () => invoke(BRIDGE_CHANNELS.listPrinters),
  printReceipt: (request) => invoke(BRIDGE_CHANNELS.printReceipt, request),
  printEscPos: (request) => invoke(BRIDGE_CHANNELS.printEscPos, request),
  loadCredentials: () => invoke(BRIDGE_CHANNELS.loadCredentials),
  saveCredentials: (credentials) => invoke(BRIDGE_CHANNELS.saveCredentials, credentials),
  clearCredentials: () => invoke(BRIDGE_CHANNELS.clearCredentials),
  openCustomerDisplay: () => invoke(BRIDGE_CHANNELS.openCustomerDisplay),
};

contextBridge.exposeInMainWorld('entitle', bridge);
