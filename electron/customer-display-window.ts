import type { BrowserWindowConstructorOptions } from 'electron';
import type { OpenResult } from './bridge-contract.ts';
import type { Logger } from './logger.ts';
import { APP_ENTRY_URL, secureWebPreferences } from './security.ts';

/** The customer display is the POS page at its own route; it renders what the POS broadcasts. */
export const CUSTOMER_DISPLAY_URL = `${APP_ENTRY_URL}#/customer-display`;

export type Rectangle = {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
};

/** The part of Electron's Display that placing the window needs. */
export type ScreenInfo = { readonly id: number; readonly bounds: Rectangle };

/**
 * The screen that faces the customer: the first one that is not the primary (where the POS
 * window opens), or null when the counter has one screen.
 */
export function customerScreen(
  screens: readonly ScreenInfo[],
  primaryId: number,
): ScreenInfo | null {
  return screens.find((screen) => screen.id !== primaryId) ?? null;
}

/**
 * The same locked-down preferences as the POS window, less the preload: the display talks to
 * nobody but the POS page (over a BroadcastChannel), so it gets no bridge at all. On a second
 * screen it fills it; alone, it is an ordinary window the cashier can drag.
 */
export function customerDisplayWindowOptions(options: {
  readonly devTools: boolean;
  readonly screen: ScreenInfo | null;
}): BrowserWindowConstructorOptions {
  const { preload: _noBridge, ...webPreferences } = secureWebPreferences('', options);
  const placement = options.screen
    ? { ...options.screen.bounds, fullscreen: true }
    : { width: 1024, height: 768 };
  return {
    title: 'Entitle — customer display',
    ...placement,
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#000000',
    webPreferences,
  };
}

/** The parts of a BrowserWindow the opener uses. */
export interface DisplayWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  loadURL(url: string): Promise<void>;
  close(): void;
}

export type CustomerDisplayDeps<W extends DisplayWindow> = {
  readonly createWindow: (options: BrowserWindowConstructorOptions) => W;
  readonly screens: () => { readonly all: readonly ScreenInfo[]; readonly primaryId: number };
  /** Hardens the new window's contents the way the POS window's are (navigation, permissions). */
  readonly lockDown: (window: W) => void;
  readonly logger: Logger;
  readonly devTools: boolean;
};

/**
 * `openCustomerDisplay` for the bridge: one display window at most; asking again brings the
 * open one forward instead of stacking a second.
 */
export function createCustomerDisplayOpener<W extends DisplayWindow>(
  deps: CustomerDisplayDeps<W>,
): { open(): Promise<OpenResult>; close(): void } {
  let current: W | null = null;
  return {
    async open() {
      if (current !== null && !current.isDestroyed()) {
        if (current.isMinimized()) current.restore();
        current.show();
        current.focus();
        return { ok: true };
      }
      const { all, primaryId } = deps.screens();
      const window = deps.createWindow(
        customerDisplayWindowOptions({
          devTools: deps.devTools,
          screen: customerScreen(all, primaryId),
        }),
      );
      deps.lockDown(window);
      window.once('ready-to-show', () => {
        window.show();
      });
      window.on('closed', () => {
        if (current === window) current = null;
      });
      current = window;
      try {
        await window.loadURL(CUSTOMER_DISPLAY_URL);
        return { ok: true };
      } catch (error) {
        deps.logger.error('The customer display did not load', {
          error: error instanceof Error ? error.message : String(error),
        });
        window.show();
        return {
          ok: false,
          message: 'The customer display did not load. Close its window and try again.',
        };
      }
    },
    /** With the POS window gone, the display has nothing to show and would keep the app alive. */
    close() {
      if (current !== null && !current.isDestroyed()) current.close();
      current = null;
    },
  };
}
