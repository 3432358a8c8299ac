import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DocumentId } from '../schemas/common.ts';
import { timeOfId, timeOrderedId, timeOrderedIds } from './time-ordered-id.ts';

describe('timeOrderedId', () => {
  it('is a version 7 UUID that zod and the document id schema accept', () => {
    const id = timeOrderedId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(DocumentId.safeParse(id).success).toBe(true);
  });

  it('keeps the time it was made at, to the millisecond', () => {
    const at = Date.UTC(2026, 10, 29, 6, 31, 10, 123);
    expect(timeOfId(timeOrderedId(at))).toBe(at);
    expect(timeOfId(timeOrderedId(0))).toBe(0);
    expect(timeOfId(timeOrderedId(2 ** 48 - 1))).toBe(2 ** 48 - 1);
  });

  it('sorts as text in the order of the times it was made at', () => {
    const times = [
      0,
      1,
      255,
      256,
      2 ** 32 - 1,
      2 ** 32,
      Date.UTC(2025, 0, 1),
      Date.UTC(2026, 0, 1),
    ];
    const ids = times.map((time) => timeOrderedId(time));
    expect([...ids].sort()).toEqual(ids);
  });

  it('takes its other 74 bits from the random source, so two made at once differ', () => {
    const at = Date.UTC(2026, 10, 29);
    expect(timeOrderedId(at, (bytes) => bytes.fill(0))).toBe(
      `${idPrefix(at)}-7000-8000-000000000000`,
    );
    expect(timeOrderedId(at, (bytes) => bytes.fill(0xff))).toBe(
      `${idPrefix(at)}-7fff-bfff-ffffffffffff`,
    );
    const many = new Set(Array.from({ length: 1000 }, () => timeOrderedId(at)));
    expect(many.size).toBe(1000);
  });

  it('refuses a time the 48 bits cannot hold', () => {
    expect(() => timeOrderedId(-1)).toThrow(RangeError);
    expect(() => timeOrderedId(2 ** 48)).toThrow(/1970 to 10889/);
    expect(() => timeOrderedId(Number.NaN)).toThrow(RangeError);
  });
});

function idPrefix(at: number): string {
  const hex = at.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}`;
}

describe('timeOrderedIds', () => {
  it('keeps the order ids were made in within one millisecond and when the clock steps back', () => {
    const times = [5000, 5000, 5000, 4000, 5001, 5001];
    const next = timeOrderedIds(() => times.shift() ?? 0);
    const ids = Array.from({ length: 6 }, () => next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(6);
    expect(ids.map(timeOfId)).toEqual([5000, 5000, 5000, 5000, 5001, 5001]);
    expect(ids[1]?.slice(0, 24)).toBe(ids[0]?.slice(0, 24));
  });

  it('moves to the next millisecond when the counter would overflow', () => {
    const next = timeOrderedIds(
      () => 7000,
      (bytes) => bytes.fill(0xff),
    );
    const first = next();
    expect(first.endsWith('ffffffffffff')).toBe(true);
    const second = next();
    expect(timeOfId(second)).toBe(7001);
    expect([first, second].sort()).toEqual([first, second]);
  });
});
