import { filter, from, startWith, switchMap } from 'rxjs';
import type { EntitleDatabase } from './database.ts';

/**
 * One of the database's local documents (null while there is none), read again after each write
 * to it: what RxDB's `db.getLocal$(id)` emits, at a cost per written batch instead of per written
 * document. `getLocal$` watches `db.$`, every document of every collection one by one, with two
 * promises each: a first sync writes 70,000 pulled documents while a dozen of these watch, and the
 * page spent about an eighth of its CPU time settling those promises (issue #7). This looks only
 * at the batches of the database's own local documents that name `id`. The newest read wins.
 */
export function localDocument$<T>(db: EntitleDatabase, id: string) {
  return db.eventBulks$.pipe(
    filter(
      (bulk) =>
        bulk.isLocal &&
        // The database's own local documents: a collection's carry the collection's name.
        !bulk.collectionName &&
        bulk.events.some((event) => event.documentId === id),
    ),
    startWith(null),
    switchMap(() => from(db.getLocal<T>(id))),
  );
}
