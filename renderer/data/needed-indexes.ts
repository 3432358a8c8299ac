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

/** The collection a Dexie database of RxDB's Dexie storage holds: `rxdb-dexie-<db>--<version>--<collection>`. */
export function collectionOf(dexieName: string): string | null {
  const at = dexieName.lastIndexOf('--');
  return dexieName.startsWith('rxdb-dexie-') && at >= 0 ? dexieName.slice(at + 2) : null;
}

/**
 * A Dexie addon (RxDB's Dexie storage passes its settings to Dexie): the databases of the named
 * collections are declared without the indexes `withoutUnreadIndexes` leaves out. IndexedDB keeps
 * an entry in every index for every record written, so a first sync's 70,000 records cost about a
 * sixth less of IndexedDB's work (docs/PERFORMANCE.md, twelfth round). Only the collections a
 * first sync pulls in bulk are named: with the sales store trimmed too, checkouts at 100,000
 * stored sales had a slower tail in pairs, for a reason not found yet (same place).
 *
 * A database created by an earlier build keeps the indexes it has: Dexie opens it as it is when
 * the declared schema asks for nothing it lacks, and IndexedDB goes on keeping them. A later
 * build that declares them again gets them added by Dexie's schema patch on open.
 */
export function neededIndexesOnly(collections: readonly string[]): (db: Dexie) => void {
  return (db) => {
    const collection = collectionOf(db.name);
    if (collection === null || !collections.includes(collection)) return;
    const declareVersion = db.version.bind(db);
    db.version = (versionNumber) => {
      const version = declareVersion(versionNumber);
      const declareStores = version.stores.bind(version);
      version.stores = (schema) => {
        const docs = schema[DOCS_TABLE];
        return declareStores(
          typeof docs === 'string'
            ? { ...schema, [DOCS_TABLE]: withoutUnreadIndexes(docs) }
            : schema,
        );
      };
      return version;
    };
  };
}
