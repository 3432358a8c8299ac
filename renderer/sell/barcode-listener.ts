import { useEffect, useRef } from 'react';
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
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .call(target)
  const setValue = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(target), 'value')?.set;
  if (!setValue) return;
  setValue.call(target, next);
  target.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Listens for a keyboard-wedge barcode scanner anywhere in the window while mounted. It listens
 * in the capture phase, ahead of every field and shortcut, and swallows the Enter (or Tab) that
 * ends a scan: a scan never submits a form, presses a button or fires a shortcut.
 */
export function useBarcodeScanner(onScan: (code: string) => void): void {
  const latest = useRef(onScan);
  useEffect(() => {
    latest.current = onScan;
  });
  useEffect(() => {
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
  }, []);
}
