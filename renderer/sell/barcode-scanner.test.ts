import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBarcodeDetector, readKeystrokes, type KeyStroke } from './barcode-scanner.ts';

// Seeded, so a failure prints a seed and path that replay exactly (STYLE.md 8).
const runs = { seed: 20261127, numRuns: 300 };

/** Keys typed with the given gaps (ms) before each, starting at `start`, then Enter. */
function strokes(text: string, gaps: readonly number[], start = 1000, end = 'Enter'): KeyStroke[] {
  const out: KeyStroke[] = [];
  let time = start;
  [...Array.from(text), end].forEach((key, index) => {
    time += gaps[index % gaps.length] ?? 0;
    out.push({ key, time });
  });
  return out;
}

const codeChars = fc.constantFrom(...'0123456789ABCDEFXYZ-./'.split(''));
const barcode = fc.array(codeChars, { minLength: 4, maxLength: 20 }).map((c) => c.join(''));
const words = fc
  .array(fc.constantFrom(...'abcdefghij klmnop0123456789'.split('')), { maxLength: 12 })
  .map((c) => c.join(''));
// strokes() cycles through the gaps, so any non-empty list is a rhythm for any text.
const humanGaps = fc.array(fc.integer({ min: 80, max: 600 }), { minLength: 1, maxLength: 25 });
const scannerGaps = fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 25 });

describe('the barcode detector refuses', () => {
  it('a person typing the digits of a barcode and pressing Enter', () => {
    expect(readKeystrokes(strokes('2000000045009', [120])).scans).toEqual([]);
  });

  it('a burst shorter than four characters', () => {
    expect(readKeystrokes(strokes('123', [5])).scans).toEqual([]);
  });

  it('a burst whose Enter comes after a pause', () => {
    const keys = strokes('2000000045009', [5]);
    const enter = keys.at(-1);
    if (!enter) throw new Error('no keys');
    keys[keys.length - 1] = { ...enter, time: enter.time + 200 };
    expect(readKeystrokes(keys).scans).toEqual([]);
  });

  it('a burst that averages slower than a scanner', () => {
    // Every gap is under the 60 ms cut, but the average (50 ms) is a fast person.
    expect(readKeystrokes(strokes('2000000045009', [50])).scans).toEqual([]);
  });

  it('a burst broken by a modifier or an editing key (only what follows could be a scan)', () => {
    const keys = strokes('2000000045009', [5]);
    keys.splice(10, 0, { key: 'v', time: (keys[9]?.time ?? 0) + 1, modified: true });
    expect(readKeystrokes(keys).scans).toEqual([]);
    const withBackspace = strokes('2000000045009', [5]);
    withBackspace.splice(6, 0, { key: 'Backspace', time: (withBackspace[5]?.time ?? 0) + 1 });
    expect(readKeystrokes(withBackspace).scans).toEqual(['0045009']);
  });
});

describe('the barcode detector', () => {
  it('reads a scanner burst ending in Enter or Tab, and swallows only the terminator', () => {
    const detector = createBarcodeDetector();
    const verdicts = strokes('2000000045009', [5]).map((stroke) => detector.feed(stroke));
    expect(verdicts.slice(0, -1).every((verdict) => verdict.kind === 'key')).toBe(true);
    expect(verdicts.at(-1)).toEqual({ kind: 'scan', code: '2000000045009' });
    expect(readKeystrokes(strokes('40123455', [8], 0, 'Tab')).scans).toEqual(['40123455']);
  });

  it('ignores Shift inside a burst (upper-case letters from a scanner)', () => {
    const keys = strokes('ABC-123', [4]).flatMap((stroke) =>
      /[A-Z]/.test(stroke.key) ? [{ key: 'Shift', time: stroke.time - 1 }, stroke] : [stroke],
    );
    expect(readKeystrokes(keys).scans).toEqual(['ABC-123']);
  });

  it('reads the same code twice in a row as two scans', () => {
    const first = strokes('2000000045009', [5], 0);
    const second = strokes('2000000045009', [5], 500);
    expect(readKeystrokes([...first, ...second]).scans).toEqual(['2000000045009', '2000000045009']);
  });

  it('never takes a person typing at 80 ms a key or slower for a scan', () => {
    fc.assert(
      fc.property(barcode, humanGaps, (text, gaps) => {
        const { typed, scans } = readKeystrokes(strokes(text, gaps));
        expect(scans).toEqual([]);
        expect(typed).toBe(text);
      }),
      runs,
    );
  });

  it('always reads a scanner burst (1–30 ms a key) as exactly its code', () => {
    fc.assert(
      fc.property(barcode, scannerGaps, fc.constantFrom('Enter', 'Tab'), (text, gaps, end) => {
        const { typed, scans } = readKeystrokes(strokes(text, gaps, 0, end));
        expect(scans).toEqual([text]);
        expect(typed).toBe('');
      }),
      runs,
    );
  });

  it('leaves the typed text alone when a scan comes in the middle of typing', () => {
    fc.assert(
      fc.property(
        fc.tuple(words, humanGaps),
        fc.tuple(barcode, scannerGaps),
        fc.tuple(words, humanGaps),
        ([before, beforeGaps], [code, gaps], [after, afterGaps]) => {
          // The person stops at least 80 ms before the scan and starts again 80 ms after it.
          const head = strokes(before, beforeGaps, 0).slice(0, -1);
          const scan = strokes(code, gaps, (head.at(-1)?.time ?? 0) + 80);
          const tail = strokes(after, afterGaps, (scan.at(-1)?.time ?? 0) + 80).slice(0, -1);
          const { typed, scans } = readKeystrokes([...head, ...scan, ...tail]);
          expect(scans).toEqual([code]);
          expect(typed).toBe(before + after);
        },
      ),
      runs,
    );
  });
});
