import type { Page } from '@playwright/test';

/** A keyboard-wedge scanner's pace: a key every 5 ms, Enter last. */
const SCANNER_KEY_GAP_MS = 5;

/**
 * A barcode scanner in keyboard mode: the code's digits and Enter as real key presses (trusted
 * events that type into the focused field and submit its form, as the hardware's do), each
 * stamped 5 ms after the last. The operating system stamps a scanner's key events as they arrive,
 * so the page sees 5 ms gaps even when it is too busy to handle them at once; here Chromium takes
 * each event's time from the DevTools call (Input.dispatchKeyEvent's `timestamp`) rather than
 * from when the call reached it, so the product's 60 ms limit between keys is met however loaded
 * the machine is. Playwright's keyboard.type(…, { delay: 5 }) stamps each key when its call
 * arrives, which on a loaded machine can be more than 60 ms after the one before.
 */
export async function scan(page: Page, code: string): Promise<void> {
  if (!/^\d+$/.test(code)) throw new RangeError(`A barcode of digits, not ${code}`);
  const session = await page.context().newCDPSession(page);
  try {
    const start = Date.now() / 1000;
    const keys = Array.from(code, (digit) => ({
      key: digit,
      code: `Digit${digit}`,
      text: digit,
      keyCode: digit.charCodeAt(0),
    }));
    keys.push({ key: 'Enter', code: 'Enter', text: '\r', keyCode: 13 });
    for (const [index, key] of keys.entries()) {
      const timestamp = start + (index * SCANNER_KEY_GAP_MS) / 1000;
      const common = {
        key: key.key,
        code: key.code,
        windowsVirtualKeyCode: key.keyCode,
        nativeVirtualKeyCode: key.keyCode,
        timestamp,
      };
      await session.send('Input.dispatchKeyEvent', {
        ...common,
        type: 'keyDown',
        text: key.text,
        unmodifiedText: key.text,
      });
      await session.send('Input.dispatchKeyEvent', {
        ...common,
        type: 'keyUp',
        timestamp: timestamp + 0.001,
      });
    }
  } finally {
    await session.detach();
  }
}
