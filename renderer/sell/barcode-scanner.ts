/**
 * Tells a barcode scanner from a person. A USB or Bluetooth scanner in keyboard mode "types" the
 * code as a burst of key presses a few milliseconds apart and ends it with Enter (or Tab); a
 * person, even a fast one, leaves far more than that between keys. The detector only watches:
 * the characters of a burst still reach wherever the focus is (the first ones cannot be known to
 * be a scan when they arrive), and the caller takes them back out when the burst ends in a scan.
 */

export type ScannerTiming = {
  /** A burst needs at least this many characters (EAN-8 is the shortest common code). */
  readonly minLength: number;
  /** The average gap between the keys of a scan, terminator included, is at most this. */
  readonly maxAverageGapMs: number;
  /** A longer pause between two keys ends any burst: nobody's scanner hesitates this long. */
  readonly maxGapMs: number;
};

export const SCANNER_TIMING: ScannerTiming = { minLength: 4, maxAverageGapMs: 30, maxGapMs: 60 };

export type KeyStroke = {
  /** KeyboardEvent.key: one character for a printable key, a name ("Enter", "Shift") otherwise. */
  readonly key: string;
  /** Milliseconds on any monotonic clock (KeyboardEvent.timeStamp). */
  readonly time: number;
  /** Ctrl, Alt or Meta held: a command, never part of a code. */
  readonly modified?: boolean;
};

/** `scan`: this key ended a scan of `code`; the caller swallows it. `key`: an ordinary key. */
export type KeyVerdict =
  { readonly kind: 'key' } | { readonly kind: 'scan'; readonly code: string };

const KEY: KeyVerdict = { kind: 'key' };

// Shift (for upper-case letters) and friends arrive inside a scanner's burst; they type nothing.
const SILENT_KEYS = new Set(['Shift', 'CapsLock', 'NumLock', 'Unidentified', 'Dead']);

export type BarcodeDetector = { readonly feed: (stroke: KeyStroke) => KeyVerdict };

export function createBarcodeDetector(timing: ScannerTiming = SCANNER_TIMING): BarcodeDetector {
  let chars = '';
  let firstAt = 0;
  let lastAt = 0;
  const reset = () => {
    chars = '';
  };
  return {
    feed(stroke) {
      if (stroke.modified) {
        reset();
        return KEY;
      }
      if (SILENT_KEYS.has(stroke.key)) return KEY;
      const gap = stroke.time - lastAt;
      if (stroke.key === 'Enter' || stroke.key === 'Tab') {
        const code = chars;
        const averageGap = (stroke.time - firstAt) / Math.max(code.length, 1);
        reset();
        const isScan =
          code.length >= timing.minLength &&
          gap <= timing.maxGapMs &&
          averageGap <= timing.maxAverageGapMs;
        return isScan ? { kind: 'scan', code } : KEY;
      }
      if (stroke.key.length !== 1) {
        // Arrows, Backspace, F-keys: a person at work, never a scanner.
        reset();
        return KEY;
      }
      if (chars === '' || gap > timing.maxGapMs) {
        chars = stroke.key;
        firstAt = stroke.time;
      } else {
        chars += stroke.key;
      }
      lastAt = stroke.time;
      return KEY;
    },
  };
}

/**
 * What a stream of keys amounts to: the scans, and the text left in a field once each scan's
 * characters are taken back out of it (which is what the Sell screen does). Used by the tests as
 * the model of the whole behaviour.
 */
export function readKeystrokes(
  strokes: readonly KeyStroke[],
  timing: ScannerTiming = SCANNER_TIMING,
): { readonly typed: string; readonly scans: readonly string[] } {
  const detector = createBarcodeDetector(timing);
  let typed = '';
  const scans: string[] = [];
  for (const stroke of strokes) {
    const verdict = detector.feed(stroke);
    if (verdict.kind === 'scan') {
      scans.push(verdict.code);
      typed = withoutScanned(typed, verdict.code);
    } else if (stroke.key.length === 1 && !stroke.modified) {
      typed += stroke.key;
    }
  }
  return { typed, scans };
}

/** The text with a scan's characters taken off its end; unchanged if they are not there. */
export function withoutScanned(text: string, code: string): string {
  return text.endsWith(code) ? text.slice(0, text.length - code.length) : text;
}
