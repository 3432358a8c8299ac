import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  createCustomerDisplayOpener,
  CUSTOMER_DISPLAY_URL,
  customerDisplayWindowOptions,
  customerScreen,
  type DisplayWindow,
  type ScreenInfo,
} from './customer-display-window.ts';
import { secureWebPreferences } from './security.ts';
import { recordingLogger } from './test-support/fakes.ts';
import { posWindowOptions } from './window.ts';

const LAPTOP: ScreenInfo = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
const POLE: ScreenInfo = { id: 2, bounds: { x: 1920, y: 0, width: 800, height: 480 } };

class FakeWindow implements DisplayWindow {
  destroyed = false;
  minimized = false;
  shown = 0;
  focused = 0;
  loaded: string[] = [];
  private readonly listeners = new Map<string, () => void>();
  constructor(
    readonly options: BrowserWindowConstructorOptions,
    private readonly loadFails = false,
  ) {}
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  restore = () => {
    this.minimized = false;
  };
  show = () => {
    this.shown++;
  };
  focus = () => {
    this.focused++;
  };
  once(event: string, listener: () => void) {
    this.listeners.set(event, listener);
  }
  on(event: string, listener: () => void) {
    this.listeners.set(event, listener);
  }
  emit(event: string) {
    this.listeners.get(event)?.();
  }
  close = () => {
    this.destroyed = true;
  };
  loadURL = (url: string) => {
    this.loaded.push(url);
    return this.loadFails ? Promise.reject(new Error('ERR_FAILED')) : Promise.resolve();
  };
}

function setup(screens: ScreenInfo[], loadFails = false) {
  const created: FakeWindow[] = [];
  const lockedDown: FakeWindow[] = [];
  const logger = recordingLogger();
  const opener = createCustomerDisplayOpener({
    createWindow: (options) => {
      const window = new FakeWindow(options, loadFails);
      created.push(window);
      return window;
    },
    screens: () => ({ all: screens, primaryId: 1 }),
    lockDown: (window) => lockedDown.push(window),
    logger,
    devTools: false,
  });
  return { opener, created, lockedDown, logger };
}

describe('customerScreen', () => {
  it('is none with one screen, else the first screen that is not the primary', () => {
    expect(customerScreen([LAPTOP], 1)).toBeNull();
    expect(customerScreen([LAPTOP, POLE], 1)).toBe(POLE);
    expect(customerScreen([POLE, LAPTOP], 1)).toBe(POLE);
  });
});

describe('customerDisplayWindowOptions', () => {
  it('is locked down like the POS window, and has no bridge (no preload)', () => {
    const options = customerDisplayWindowOptions({ devTools: false, screen: null });
    const pos = posWindowOptions('/app/preload.cjs', { devTools: false }).webPreferences;
    const { preload: _posPreload, ...posLock } = pos ?? {};
    expect(options.webPreferences).toEqual(posLock);
    expect(options.webPreferences).not.toHaveProperty('preload');
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
    });
    expect(Object.keys(options.webPreferences ?? {}).sort()).toEqual(
      Object.keys(secureWebPreferences('x', { devTools: false }))
        .filter((key) => key !== 'preload')
        .sort(),
    );
  });

  it('fills the second screen when there is one, else opens as a window', () => {
    expect(customerDisplayWindowOptions({ devTools: false, screen: POLE })).toMatchObject({
      x: 1920,
      y: 0,
      width: 800,
      height: 480,
      fullscreen: true,
      show: false,
    });
    const alone = customerDisplayWindowOptions({ devTools: false, screen: null });
    expect(alone.fullscreen).toBeUndefined();
    expect(alone.x).toBeUndefined();
  });
});

describe('createCustomerDisplayOpener', () => {
  it('reports a display that did not load, logs it, and shows the window anyway', async () => {
    const { opener, created, logger } = setup([LAPTOP], true);
    expect(await opener.open()).toEqual({
      ok: false,
      message: 'The customer display did not load. Close its window and try again.',
    });
    expect(created[0]?.shown).toBe(1);
    expect(logger.entries.map((entry) => entry.level)).toEqual(['error']);
  });

  it('opens one locked-down window on the second screen at the display route', async () => {
    const { opener, created, lockedDown } = setup([LAPTOP, POLE]);
    expect(await opener.open()).toEqual({ ok: true });
    expect(created).toHaveLength(1);
    const [window] = created;
    expect(lockedDown).toEqual([window]);
    expect(window?.loaded).toEqual([CUSTOMER_DISPLAY_URL]);
    expect(CUSTOMER_DISPLAY_URL).toBe('app://pos/index.html#/customer-display');
    expect(window?.options).toMatchObject({ x: 1920, fullscreen: true });
    expect(window?.shown).toBe(0);
    window?.emit('ready-to-show');
    expect(window?.shown).toBe(1);
  });

  it('brings the open display forward instead of opening a second', async () => {
    const { opener, created } = setup([LAPTOP, POLE]);
    await opener.open();
    const [window] = created;
    if (!window) throw new Error('no window');
    window.minimized = true;
    await opener.open();
    expect(created).toHaveLength(1);
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(1);
  });

  it('closes the display with the POS window', async () => {
    const { opener, created } = setup([LAPTOP, POLE]);
    await opener.open();
    opener.close();
    expect(created[0]?.destroyed).toBe(true);
    opener.close();
  });

  it('opens a new one after the display was closed', async () => {
    const { opener, created } = setup([LAPTOP]);
    await opener.open();
    created[0]?.emit('closed');
    if (created[0]) created[0].destroyed = true;
    await opener.open();
    expect(created).toHaveLength(2);
  });
});
