import type { RxCollection, RxDatabase, RxStorage } from 'rxdb';
import { createRxDatabase, createRxSchema } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Product } from '../../shared/schemas/product.ts';
import type { Checkpoint } from '../../shared/schemas/protocol.ts';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { Sale } from '../../shared/schemas/sale.ts';
import { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { testCredentials } from '../checkout/test-fixtures.ts';
import { pendingCount$ } from '../history/queries.ts';
import type { FetchLike } from '../sync/api-client.ts';
import { startSync } from '../sync/replication.ts';
import type { EntitleDatabase } from './database.ts';
import { openEntitleDatabase } from './database.ts';
import { CartDoc, OPEN_CART_ID } from './local-schemas.ts';
import type { Migrates, PastCollection } from './past-documents.test-support.ts';
import {
  cartAt,
  pastSchema,
  pastVersions,
  productsAt,
  refundsAt,
  salesAt,
  voidsAt,
} from './past-documents.test-support.ts';
import { openTestDatabase } from './test-database.ts';

/**
 * Every local collection opened from each schema version it ever had (past-local-schemas.json,
 * rebuilt from git history) by the current build: documents arrive in the current shape, what
 * had been pushed is not pushed again, and what had not is pushed next, once.
 */
type Doc = Record<string, unknown>;
type OldDatabase = RxDatabase<Record<string, RxCollection<Doc>>>;

const IDENTITY = `${testCredentials.serverUrl}|${testCredentials.terminalId}`;
const TERMINAL = testCredentials.terminalId;

let current: EntitleDatabase | undefined;
let old: OldDatabase | undefined;
afterEach(async () => {
  await old?.close();
  await current?.close();
  old = undefined;
  current = undefined;
});

let dbCount = 0;
async function freshStore(): Promise<{ name: string; storage: RxStorage<unknown, unknown> }> {
  // Registers RxDB's dev-mode checks (with its tracking disabled) the way every renderer test does.
  await (await openTestDatabase()).close();
  dbCount += 1;
  return {
    name: `past-${String(Date.now())}-${String(dbCount)}`,
    storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
  };
}

/** A store as a past build created it: each collection at the given schema version. */
async function openPast(
  store: { name: string; storage: RxStorage<unknown, unknown> },
  versions: Partial<Record<PastCollection, number>>,
): Promise<OldDatabase> {
  const db: OldDatabase = await createRxDatabase({
    name: store.name,
    storage: store.storage,
    multiInstance: false,
  });
  const collections: Record<string, { schema: never; migrationStrategies: never }> = {};
  for (const [collection, version] of Object.entries(versions)) {
    // That build had a strategy for each earlier version; nothing older is stored here.
    const strategies = Object.fromEntries(
      Array.from({ length: version }, (_, index) => [index + 1, (doc: Doc) => doc]),
    );
    collections[collection] = {
      schema: pastSchema(collection as PastCollection, version) as never,
      migrationStrategies: strategies as never,
    };
  }
  await db.addCollections(collections);
  return db;
}

/** bulkInsert reports refused documents instead of throwing: a fixture the old schema refuses fails here. */
async function insertAll(collection: RxCollection<Doc>, docs: readonly Doc[]): Promise<void> {
  const { error } = await collection.bulkInsert([...docs]);
  expect(error).toEqual([]);
}

/** The old build pushed these and the server accepted them: RxDB's meta and sync_acks say so. */
async function pushedByOldBuild(db: OldDatabase, collection: string, docs: readonly Doc[]) {
  await insertAll(db[collection]!, docs);
  const replication = replicateRxCollection<Doc, Checkpoint>({
    collection: db[collection]!,
    replicationIdentifier: `entitle-${collection}-${IDENTITY}`,
    live: false,
    waitForLeadership: false,
    push: { handler: () => Promise.resolve([]) },
  });
  await replication.awaitInitialReplication();
  await replication.cancel();
  const at = '2026-11-26T12:00:00.000Z';
  await insertAll(
    db.sync_acks!,
    docs.map((doc) => ({ id: doc.id, outcome: 'accepted', at })),
  );
}

/** The old build pulled these (up to the server's seq = their count). */
async function pulledByOldBuild(db: OldDatabase, collection: string, docs: readonly Doc[]) {
  const replication = replicateRxCollection<Doc, Checkpoint>({
    collection: db[collection]!,
    replicationIdentifier: `entitle-${collection}-${IDENTITY}`,
    live: false,
    waitForLeadership: false,
    pull: {
      handler: (checkpoint) =>
        Promise.resolve(
          checkpoint
            ? { documents: [], checkpoint }
            : {
                documents: docs.map((doc) => ({ ...doc, _deleted: false })),
                checkpoint: { seq: docs.length },
              },
        ),
    },
  });
  await replication.awaitInitialReplication();
  await replication.cancel();
}

/**
 * The sync server as the current build's client sees it over HTTP: it serves `products` from
 * seq 0, accepts every push and records it. The live stream is down, so nothing but the
 * replication's own start-up pull and push runs.
 */
function fakeServer(products: readonly Product[]) {
  const pushed: Record<string, Doc[]> = {};
  const productPullsFrom: number[] = [];
  const fetch: FetchLike = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const route = url.pathname.slice(API_PREFIX.length);
    const pull = /^\/sync\/(\w+)\/pull$/.exec(route);
    if (pull) {
      const seq = Number(url.searchParams.get('seq'));
      const limit = Number(url.searchParams.get('limit'));
      const docs = pull[1] === 'products' ? products.slice(seq, seq + limit) : [];
      if (pull[1] === 'products') productPullsFrom.push(seq);
      const documents = docs.map((doc) => ({ ...doc, _deleted: false }));
      return Promise.resolve(
        Response.json({ documents, checkpoint: { seq: seq + documents.length } }),
      );
    }
    const push = /^\/sync\/(\w+)\/push$/.exec(route);
    if (push) {
      const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as {
        rows: { newDocumentState: Doc }[];
      };
      const docs = body.rows.map(({ newDocumentState: { _deleted: _d, ...doc } }) => doc);
      (pushed[push[1]!] ??= []).push(...docs);
      return Promise.resolve(
        Response.json({ accepted: docs.map((doc) => String(doc.id)), rejected: [] }),
      );
    }
    return Promise.reject(new TypeError('The live stream is not part of this test.'));
  };
  return { fetch, pushed, productPullsFrom };
}

/** The current build opens the store, syncs once and stops. */
async function upgradeAndSync(
  store: { name: string; storage: RxStorage<unknown, unknown> },
  server: ReturnType<typeof fakeServer>,
): Promise<{ pendingBefore: number }> {
  await old?.close();
  old = undefined;
  current = await openEntitleDatabase(store);
  const pendingBefore = await firstValueFrom(pendingCount$(current, TERMINAL));
  const sync = startSync(current, testCredentials, { fetch: server.fetch, retryMs: 50 });
  await sync.awaitInSync();
  await sync.stop();
  return { pendingBefore };
}

async function stored(collection: keyof EntitleDatabase['collections']): Promise<Doc[]> {
  const docs = await current!.collections[collection].find().exec();
  return docs
    .map((doc) => doc.toMutableJSON() as Doc)
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

const byId = (a: Doc, b: Doc) => String(a.id).localeCompare(String(b.id));

type PushedFacts = {
  readonly collection: 'sales' | 'voids' | 'refunds';
  readonly route: string;
  readonly at: (version: number) => Migrates<Doc>[] | Promise<Migrates<Doc>[]>;
  readonly parse: (doc: unknown) => unknown;
};
const PUSHED: PushedFacts[] = [
  { collection: 'sales', route: 'sales', at: salesAt, parse: (doc) => Sale.parse(doc) },
  { collection: 'voids', route: 'voids', at: voidsAt, parse: (doc) => SaleVoid.parse(doc) },
  { collection: 'refunds', route: 'refunds', at: refundsAt, parse: (doc) => SaleRefund.parse(doc) },
];

describe('the fixtures cover every local schema', () => {
  it('has every past version of every collection, and the current one unchanged', async () => {
    current = await openTestDatabase();
    const collections = Object.keys(current.collections) as PastCollection[];
    expect(collections.length).toBeGreaterThan(10);
    for (const collection of collections) {
      const schema = current.collections[collection].schema;
      // A collection whose version went up needs the schema it replaced here (from git history).
      expect(pastVersions(collection), collection).toEqual(
        Array.from({ length: schema.version + 1 }, (_, version) => version),
      );
      // Same version, other schema: RxDB refuses to open a store the previous build wrote (DB6).
      // Bump the version, add a migration strategy, and add the new schema to the fixtures.
      const recorded = createRxSchema(
        pastSchema(collection, schema.version) as never,
        current.hashFunction,
      );
      expect(await recorded.hash, `${collection} changed without a version bump`).toBe(
        await schema.hash,
      );
    }
  });
});

describe.each(PUSHED)('$collection written by a past build', ({ collection, route, at, parse }) => {
  const versions = pastVersions(collection).slice(0, -1);
  it.each(versions)(
    'from version %i: migrated, pushed ones stay pushed, the rest push once',
    async (version) => {
      const store = await freshStore();
      old = await openPast(store, { [collection]: version, sync_acks: 0 });
      const [synced, ...unsynced] = await at(version);
      await pushedByOldBuild(old, collection, [synced!.old]);
      await insertAll(
        old[collection]!,
        unsynced.map((doc) => doc.old),
      );

      const server = fakeServer([]);
      const { pendingBefore } = await upgradeAndSync(store, server);

      const expected = [synced!, ...unsynced].map((doc) => doc.current).sort(byId);
      expect(await stored(collection)).toEqual(expected);
      for (const doc of expected) parse(doc);
      expect(pendingBefore).toBe(unsynced.length);
      const pushed = server.pushed[route] ?? [];
      expect(pushed.sort(byId)).toEqual(unsynced.map((doc) => doc.current).sort(byId));
      expect(await firstValueFrom(pendingCount$(current!, TERMINAL))).toBe(0);
    },
  );
});

describe('products pulled by a past build', () => {
  it.each(pastVersions('products').slice(0, -1))(
    'from version %i: the next pull replaces the migrated copies with the server’s',
    async (version) => {
      const store = await freshStore();
      old = await openPast(store, { products: version });
      const products = productsAt(version);
      await pulledByOldBuild(
        old,
        'products',
        products.map((product) => product.old),
      );

      const server = fakeServer(products.map((product) => product.current));
      await upgradeAndSync(store, server);

      // The migration fills what the old copy lacked with null; only the server knows the real
      // template, barcode and tax class, so the catalogue is pulled again from the start.
      expect(server.productPullsFrom[0]).toBe(0);
      const expected = products.map((product) => product.current).sort(byId);
      expect(await stored('products')).toEqual(expected);
      for (const product of expected) Product.parse(product);
    },
  );
});

describe('the open cart of a past build', () => {
  it.each(pastVersions('carts').slice(0, -1))(
    'from version %i: kept with every line and its pending sale',
    async (version) => {
      const store = await freshStore();
      old = await openPast(store, { carts: version });
      await old.carts!.insert(cartAt(version));
      await old.close();
      old = undefined;

      current = await openEntitleDatabase(store);
      const cart = (await current.carts.findOne(OPEN_CART_ID).exec())?.toMutableJSON();
      expect(cart).toEqual(cartAt(version));
      expect(CartDoc.parse(cart)).toEqual(cartAt(version));
    },
  );
});

describe('a store from the very first build', () => {
  it('opens in one go with every collection at version 0 and syncs what was waiting', async () => {
    const store = await freshStore();
    old = await openPast(store, { products: 0, sales: 0, carts: 0, counters: 0, sync_acks: 0 });
    const products = productsAt(0);
    await pulledByOldBuild(
      old,
      'products',
      products.map((product) => product.old),
    );
    const [synced, ...unsynced] = await salesAt(0);
    await pushedByOldBuild(old, 'sales', [synced!.old]);
    await insertAll(
      old.sales!,
      unsynced.map((sale) => sale.old),
    );
    await old.carts!.insert(cartAt(0));
    await old.counters!.insert({
      id: 'issuing',
      terminalId: TERMINAL,
      receiptSeq: 41,
      codeSerial: 97,
    });

    const server = fakeServer(products.map((product) => product.current));
    const { pendingBefore } = await upgradeAndSync(store, server);

    expect(pendingBefore).toBe(unsynced.length);
    expect(await stored('sales')).toEqual(
      [synced!, ...unsynced].map((sale) => sale.current).sort(byId),
    );
    expect((server.pushed.sales ?? []).sort(byId)).toEqual(
      unsynced.map((sale) => sale.current).sort(byId),
    );
    expect(await stored('products')).toEqual(products.map((p) => p.current).sort(byId));
    expect((await current!.carts.findOne(OPEN_CART_ID).exec())?.toMutableJSON()).toEqual(cartAt(0));
    // The serials already handed out stay handed out: no code can be issued twice.
    expect((await current!.counters.findOne('issuing').exec())?.toMutableJSON()).toEqual({
      id: 'issuing',
      terminalId: TERMINAL,
      receiptSeq: 41,
      codeSerial: 97,
    });
  });
});
