import type { DBCore, DBCoreKeyRange, DBCoreRangeType, DBCoreTable, Dexie } from 'dexie';

/** Below this many keys, one IndexedDB request per key is cheap enough. */
const MIN_KEYS = 20;
/** The range read is used while it holds at most this many stored documents per asked key. */
const MAX_SPREAD = 2;
/**
 * DBCoreRangeType.Range. Dexie declares the enum `const` in its types and exports no value for
 * it at run time, and `isolatedModules` cannot inline an ambient const enum: naming the number
 * here, checked against the type, is the one way to write it without a cast.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- see above
const RANGE: DBCoreRangeType = 2;

function rangedTable(table: DBCoreTable): DBCoreTable {
  const primaryKey = table.schema.primaryKey;
  const keyPath = primaryKey.keyPath;
  if (primaryKey.outbound || typeof keyPath !== 'string' || keyPath.includes('.')) return table;
  return {
    ...table,
    async getMany(request) {
      const keys: unknown[] = request.keys;
      if (keys.length < MIN_KEYS || !keys.every((key) => typeof key === 'string')) {
        return table.getMany(request);
      }
      // IndexedDB orders strings by UTF-16 code units, as Array.prototype.sort does.
      const sorted = [...keys].sort();
      const range: DBCoreKeyRange = {
        type: RANGE,
        lower: sorted[0],
        upper: sorted.at(-1),
        lowerOpen: false,
        upperOpen: false,
      };
      const query = { index: primaryKey, range };
      const stored = await table.count({ trans: request.trans, query });
      if (stored > keys.length * MAX_SPREAD) return table.getMany(request);
      if (stored === 0) return keys.map(() => undefined);
      const found = await table.query({ trans: request.trans, values: true, query });
      const byKey = new Map<unknown, unknown>(
        (found.result as Record<string, unknown>[]).map((value) => [value[keyPath], value]),
      );
      return keys.map((key) => byKey.get(key));
    },
  };
}

/**
 * A Dexie addon (RxDB's Dexie storage passes its settings to Dexie): a lookup of many string
 * keys is answered with one count and at most one range read instead of one IndexedDB request
 * per key, when the keys' range holds few other documents. RxDB looks every pulled document up
 * by key up to three times before writing it (fork, replication meta, bulkWrite), and on a new
 * terminal nearly all of those lookups miss: the per-key requests were the largest cost of a
 * first sync (issue #7). Lookups over a wide range fall back to Dexie's own per-key reads.
 */
export function rangedGetMany(db: Dexie): void {
  db.use({
    stack: 'dbcore',
    name: 'entitle-ranged-get-many',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => rangedTable(down.table(name)),
    }),
  });
}
