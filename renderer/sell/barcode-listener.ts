import { useEffect, useRef, useState } from 'react';
import { createBarcodeDetector, withoutScanned } from './barcode-scanner.ts';

/**
 * The characters of a scan have already landed in the focused field by the time its Enter shows
 * it was a scan: take them back out, through the native setter and an input event so React's
 * controlled inputs (the search box) see the change.
 */
function takeBackScannedText(target: EventTarget | null, code: string): void {
  if (!(target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) return;
  const next = withoutScanned(target.value, code);
  if (next === target.value) return;
  // The prototype's setter, not the element's: React watches the element's own `value`.
  // Reflect.set with the element as receiver runs that setter on the element.
  Reflect.set(Object.getPrototypeOf(target) as object, 'value', next, target);
  target.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Listens for a keyboard-wedge barcode scanner anywhere in the window while mounted. It listens
 * in the capture phase, ahead of every field and shortcut, and swallows the Enter (or Tab) that
 * ends a scan: a scan never submits a form, presses a button or fires a shortcut.
 */
export function useBarcodeScanner(onScan: (code: string) => void, enabled = true): void {
  const latest = useRef(onScan);
  useEffect(() => {
    latest.current = onScan;
  });
  useEffect(() => {
    if (!enabled) return;
    const detector = createBarcodeDetector();
    const onKey = (event: KeyboardEvent) => {
      const verdict = detector.feed({
        key: event.key,
        time: event.timeStamp,
        modified: event.ctrlKey || event.metaKey || event.altKey,
      });
      if (verdict.kind !== 'scan') return;
      event.preventDefault();
      event.stopImmediatePropagation();
      takeBackScannedText(event.target, verdict.code);
      latest.current(verdict.code);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKey, { capture: true });
    };
  }, [enabled]);
}

/**
 * Off the Sell screen a scan is caught all the same and refused with what to do: its digits
 * must never stay in a field (a 13-digit code in "Cash received" with its Enter would complete
 * the sale with absurd change). `screen` names the current screen; a notice stays on its own.
 */
export function useScanGuard(screen: string, active: boolean): string | null {
  const [notice, setNotice] = useState<{ screen: string; text: string } | null>(null);
  useBarcodeScanner((code) => {
    setNotice({
      screen,
      text: `Scanned ${code}, but items are added on the Sell screen. Go back to Sell (Esc) and scan it again.`,
    });
  }, active);
  return active && notice?.screen === screen ? notice.text : null;
}
