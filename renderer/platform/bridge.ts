import type { EntitleBridge } from '../../electron/bridge-contract.ts';
import { createBrowserBridge } from './browser-bridge.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    readonly entitle?: EntitleBridge;
  }
}

/** The desktop shell's bridge when running in Electron, the browser implementation otherwise. */
export function getBridge(): EntitleBridge {
  return window.entitle ?? createBrowserBridge();
}
