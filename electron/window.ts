import type { BrowserWindowConstructorOptions } from 'electron';
import { secureWebPreferences } from './security.ts';

/** The POS window: sized for a counter screen, hidden until its first paint (no white flash). */
export function posWindowOptions(
  preloadPath: string,
  options: { readonly devTools: boolean },
): BrowserWindowConstructorOptions {
  return {
    title: 'Entitle POS',
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath, options),
  };
}
