import type { Dexie } from 'dexie';

/** The table RxDB's Dexie storage keeps a collection's documents in. */
const DOCS_TABLE = 'docs';
/** Only read by RxDB's `cleanup()`, which needs its cleanup plugin: the POS does not add it. */
const CLEANUP_INDEX = '_meta.lwt';

/**
 * The documents table's index spec without the two indexes RxDB's Dexie storage declares and the
 * POS never reads. The storage declares `pk, [_deleted+pk], <the schema's indexes>,
 * [_meta.lwt+pk], _meta.lwt` for every collection:
 * - `_meta.lwt` serves only `cleanup()`;
 * - `[_deleted+pk]` serves a query only when it is among the schema's indexes, which RxDB makes
 *   it only for a schema that declares none of its own (every declared index gets `_deleted` put
 *   in front). So it is dropped only beside another index that starts with `_deleted`.
 *
 * `[_meta.lwt+pk]` stays: RxDB's schema migration reads the old store through it.
 */
export function withoutUnreadIndexes(spec: string): string {
  const [primary, ...indexes] = spec.split(',').map((part) => part.trim());
  if (primary === undefined || primary === '') return spec;
  const deletedThenPrimary = `[_deleted+${primary}]`;
  const anotherBehindDeleted = indexes.some(
    (index) => index.startsWith('[_deleted+') && index !== deletedThenPrimary,
  );
  const kept = indexes.filter(
    (index) => index !== CLEANUP_INDEX && !(anotherBehindDeleted && index === deletedThenPrimary),
  );
  return [primary, ...kept].join(', ');
}

/**
 * A Dexie addon (RxDB's Dexie storage passes its settings to Dexie): each collection's database
 * is declared without the indexes `withoutUnreadIndexes` leaves out. IndexedDB keeps an entry in
 * every index for every record written, so on a first sync of 70,000 records two fewer indexes
 * a record take about a sixth off IndexedDB's work (docs/PERFORMANCE.md, twelfth round).
 *
 * A database created by an earlier build keeps the indexes it has: Dexie opens it as it is when
 * the declared schema asks for nothing it lacks, and IndexedDB goes on keeping them. A later
 * build that declares them again gets them added by Dexie's schema patch on open.
 */
export function neededIndexesOnly(db: Dexie): void {
  const declareVersion = db.version.bind(db);
  db.version = (versionNumber) => {
    const version = declareVersion(versionNumber);
    const declareStores = version.stores.bind(version);
    version.stores = (schema) => {
      const docs = schema[DOCS_TABLE];
      return declareStores(
        typeof docs === 'string' ? { ...schema, [DOCS_TABLE]: withoutUnreadIndexes(docs) } : schema,
      );
    };
    return version;
  };
}
