import { describe, expect, it } from 'vitest';
import { newId, newTimeOrderedId, systemRandomBytes } from './deps.ts';
import { seededRandomBytes } from './test-support/harness.ts';

describe('systemRandomBytes', () => {
  it('gives each caller its own bytes of the size asked, small or large', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const bytes = systemRandomBytes(16);
      expect(bytes).toHaveLength(16);
      seen.add(Buffer.from(bytes).toString('hex'));
    }
    expect(seen.size).toBe(2000);
    const first = systemRandomBytes(32);
    const copy = Uint8Array.from(first);
    systemRandomBytes(32);
    expect(first).toEqual(copy); // not a view of a pool that is reused
    expect(systemRandomBytes(5000)).toHaveLength(5000);
  });
});

describe('newTimeOrderedId', () => {
  it('is as long as newId and sorts by the instant it is given', () => {
    const random = seededRandomBytes('ids');
    const early = newTimeOrderedId('evt', '2026-11-27T10:00:00.000Z', random);
    const late = newTimeOrderedId('evt', '2026-11-27T10:00:00.001Z', random);
    const again = newTimeOrderedId('evt', '2026-11-27T10:00:00.000Z', random);
    expect(early).toMatch(/^evt_01a21c729100[0-9a-f]{20}$/);
    expect(early).toHaveLength(newId('evt', random).length);
    expect(early < late && again < late).toBe(true);
    expect(again).not.toBe(early);
  });
});
