import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from './database.ts';
import { localDocument$ } from './local-document.ts';
import { openTestDatabase } from './test-database.ts';

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.close();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('localDocument$', () => {
  it('emits the document, null while there is none, and each new version', async () => {
    const seen: ({ n: number } | null)[] = [];
    const watch = localDocument$<{ n: number }>(db, 'watched').subscribe((doc) => {
      seen.push(doc ? doc.toJSON().data : null);
    });
    await settle();
    expect(seen).toEqual([null]);
    await db.upsertLocal('watched', { n: 1 });
    await settle();
    await db.upsertLocal('watched', { n: 2 });
    await settle();
    expect(seen).toEqual([null, { n: 1 }, { n: 2 }]);
    watch.unsubscribe();
  });

  it('starts from a document written before it was watched', async () => {
    await db.upsertLocal('watched', { n: 7 });
    const seen: unknown[] = [];
    const watch = localDocument$<{ n: number }>(db, 'watched').subscribe((doc) => {
      seen.push(doc?.toJSON().data);
    });
    await settle();
    expect(seen).toEqual([{ n: 7 }]);
    watch.unsubscribe();
  });

  it('does not read again for other local documents or for collection writes', async () => {
    let emissions = 0;
    const watch = localDocument$(db, 'watched').subscribe(() => {
      emissions += 1;
    });
    await settle();
    await db.upsertLocal('other', { n: 1 });
    await db.products.bulkUpsert([testProduct('p1', 100), testProduct('p2', 200)]);
    await settle();
    expect(emissions).toBe(1);
    watch.unsubscribe();
  });
});
