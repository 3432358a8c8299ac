/**
 * A UUID version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, the other 74
 * not fixed by the format are random. Ids made later sort after ids made earlier (to the
 * millisecond; within one millisecond their order is random).
 *
 * Sales get these ids, not random (version 4) ones. IndexedDB keeps a sale under its id in a
 * sorted store (LevelDB in Chromium; a B-tree in PostgreSQL and SQLite on the server). A random
 * id lands anywhere in the key space, so as a till's history grows every background compaction
 * rewrites files from all over it; a time-ordered id lands at the end, beside the last sale
 * (docs/PERFORMANCE.md, eighth round). The 74 random bits make ids unique across tills; a sale id
is not a secret (every route that takes one is authenticated and scoped to its store).
 */
export function timeOrderedId(
  now: number = Date.now(),
  fillRandom: (bytes: Uint8Array<ArrayBuffer>) => void = (bytes) => crypto.getRandomValues(bytes),
): string {
  if (!Number.isSafeInteger(now) || now < 0 || now >= 2 ** 48)
    throw new RangeError(`A time-ordered id needs a time from 1970 to 10889, not ${String(now)}.`);
  const bytes = new Uint8Array(16);
  fillRandom(bytes.subarray(6));
  // 48 bits of time, big-endian: the high 16 and the low 32 apart (bitwise operators are 32-bit).
  const high = Math.floor(now / 2 ** 32);
  const low = now % 2 ** 32;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (low >>> 24) & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f); // version 7
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f); // variant 10 (RFC 9562)
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The millisecond a time-ordered id was made at (its first 48 bits). */
export function timeOfId(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/**
 * Time-ordered ids that also keep the order they were made in within one millisecond (and if the
 * clock steps back): the next id is then the last one plus 1 in its low 48 bits (RFC 9562's
 * counter method), so one till's ids sort in the order of its sales. Such an id follows from the
 * one before it: use these only where an id is not a secret.
 */
export function timeOrderedIds(
  clock: () => number = Date.now,
  fillRandom?: (bytes: Uint8Array<ArrayBuffer>) => void,
): () => string {
  let lastTime = -1;
  let lastId = '';
  return () => {
    const now = clock();
    if (now > lastTime) {
      lastTime = now;
      lastId = timeOrderedId(now, fillRandom);
      return lastId;
    }
    const low = Number.parseInt(lastId.slice(24), 16) + 1;
    if (low >= 2 ** 48) {
      lastTime += 1;
      lastId = timeOrderedId(lastTime, fillRandom);
    } else lastId = lastId.slice(0, 24) + low.toString(16).padStart(12, '0');
    return lastId;
  };
}
