import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TERMINAL_REVOKED_MESSAGE } from '../auth/revoke.ts';
import { ensureStore } from '../catalogue/stores.ts';
import { openPostgres } from '../db/connection.ts';
import type { Db } from '../db/schema.ts';
import { TEST_START, seededRandomBytes, testClock } from '../test-support/harness.ts';
import { freshDatabase, openTestDatabase, testEngine } from '../test-support/test-database.ts';
import type { SyncedCollection } from '../../shared/schemas/protocol.ts';
import {
  LISTENER_APPLICATION_NAME,
  chooseNotifier,
  startPostgresNotifier,
  type PostgresNotifier,
} from './pg-notifier.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  errors.length = 0;
});

const errors: { error: unknown; message: string }[] = [];
const log = (error: unknown, message: string): void => {
  errors.push({ error, message });
};

/** One database and `count` instances on it, each with a pool and a notifier of its own. */
async function instances(count: number): Promise<{ db: Db; notifiers: PostgresNotifier[] }> {
  const fresh = await freshDatabase();
  const url = fresh.url ?? '';
  cleanups.push(() => fresh.drop());
  const notifiers: PostgresNotifier[] = [];
  let first: Db | undefined;
  for (let i = 0; i < count; i += 1) {
    const db = openPostgres(url, { max: 2 });
    first ??= db;
    cleanups.push(() => db.destroy());
    const notifier = await startPostgresNotifier({ db, url, log, reconnectMs: 20 });
    cleanups.push(() => notifier.close());
    notifiers.push(notifier);
  }
  if (first === undefined) throw new Error('no instance');
  return { db: first, notifiers };
}

function recorder() {
  const calls: (readonly SyncedCollection[])[] = [];
  return { calls, listener: (collections: readonly SyncedCollection[]) => calls.push(collections) };
}

describe('choosing the notifier', () => {
  it(`is LISTEN/NOTIFY on PostgreSQL, in memory on SQLite (engine under test: ${testEngine()})`, async () => {
    const fresh = await freshDatabase();
    cleanups.push(() => fresh.drop());
    const db = fresh.url === undefined ? await openTestDatabase() : openPostgres(fresh.url);
    cleanups.push(() => db.destroy());
    const url = fresh.url;
    const chosen = await chooseNotifier({ db, databaseUrl: url, log });
    cleanups.push(() => chosen.close());
    expect(chosen.kind).toBe(testEngine() === 'postgres' ? 'postgres' : 'memory');
    // Either way this instance's own listeners hear a publish at once.
    const { calls, listener } = recorder();
    chosen.notifier.subscribe('store-a', listener);
    chosen.notifier.publish('store-a', ['products']);
    expect(calls).toEqual([['products']]);
  });
});

// The rest needs PostgreSQL (the postgres project); on SQLite the block above is what runs.
if (testEngine() === 'postgres')
  describe('PostgreSQL notifier across instances', () => {
    it('a change and a revocation sent on one instance reach the other, only for their store and terminal, once each', async () => {
      const {
        notifiers: [a, b],
      } = await instances(2);
      if (a === undefined || b === undefined) throw new Error('two instances');
      const mine = recorder();
      const otherStore = recorder();
      a.subscribe('store-1', mine.listener);
      a.subscribe('store-2', otherStore.listener);
      const revoked: string[] = [];
      a.onRevoked('term-1', (message) => revoked.push(message));
      a.onRevoked('term-2', () => revoked.push('wrong terminal'));

      b.publish('store-1', ['entitlements', 'staff']);
      b.revoke('term-1', 'Revoked on B.');
      // Two notices, each sent on whichever pooled connection is free: either may arrive first.
      await vi.waitFor(() => {
        expect(revoked).toEqual(['Revoked on B.']);
        expect(mine.calls).toEqual([['entitlements', 'staff']]);
      });

      // A's own publish is heard at once and not a second time when its NOTIFY comes back.
      a.publish('store-1', ['products']);
      expect(mine.calls).toHaveLength(2);
      b.publish('store-1', ['settings']);
      await vi.waitFor(() => {
        expect(mine.calls).toEqual([['entitlements', 'staff'], ['products'], ['settings']]);
      });
      expect(otherStore.calls).toEqual([]);
      expect(errors).toEqual([]);
    });

    it("a change for one terminal crosses instances and reaches that terminal's streams alone", async () => {
      const {
        notifiers: [a, b],
      } = await instances(2);
      if (a === undefined || b === undefined) throw new Error('two instances');
      const tillA = recorder();
      const tillB = recorder();
      a.subscribe('store-1', tillA.listener, 'term-a');
      a.subscribe('store-1', tillB.listener, 'term-b');

      b.publish('store-1', ['entitlements'], 'term-a');
      b.publish('store-1', ['products']);
      // Either notice may arrive first; each tells all of its listeners at once.
      await vi.waitFor(() => {
        expect(tillA.calls).toHaveLength(2);
      });
      expect(tillA.calls).toEqual(expect.arrayContaining([['entitlements'], ['products']]));
      expect(tillB.calls).toEqual([['products']]);
      expect(errors).toEqual([]);
    });

    it('a listener that left hears nothing more', async () => {
      const {
        notifiers: [a, b],
      } = await instances(2);
      if (a === undefined || b === undefined) throw new Error('two instances');
      const leaving = recorder();
      const staying = recorder();
      const leave = a.subscribe('store-1', leaving.listener);
      a.subscribe('store-1', staying.listener);
      leave();
      leave();
      b.publish('store-1', ['products']);
      await vi.waitFor(() => {
        expect(staying.calls).toEqual([['products']]);
      });
      expect(leaving.calls).toEqual([]);
    });

    it('after its listening connection is cut it reconnects and tells every stream to pull everything, and ends streams of terminals revoked meanwhile', async () => {
      const {
        db,
        notifiers: [a, b],
      } = await instances(2);
      if (a === undefined || b === undefined) throw new Error('two instances');
      const clock = testClock();
      const store = await ensureStore(
        db,
        { demo: false, name: 'Shop', currency: 'EUR' },
        { clock: clock.now, randomBytes: seededRandomBytes('store') },
      );
      await db
        .insertInto('terminals')
        .values({
          id: 'term-1',
          store_id: store.id,
          name: 'Till 1',
          code_prefix: 'AB',
          token_hash: 'x',
          code_key_enc: 'x',
          created_at: TEST_START,
          last_seen_at: null,
          revoked_at: null,
          reported_pending: null,
          reported_pending_at: null,
          last_refusal: null,
          last_refusal_at: null,
        })
        .execute();
      const changes = recorder();
      a.subscribe(store.id, changes.listener);
      const revoked: string[] = [];
      a.onRevoked('term-1', (message) => revoked.push(message));

      // A revocation whose notice A never heard (written without one here), then every
      // listening connection cut (both instances'), as a database restart or a network blip would.
      await db.updateTable('terminals').set({ revoked_at: TEST_START }).execute();
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = ${LISTENER_APPLICATION_NAME}`.execute(db);

      await vi.waitFor(() => {
        expect(changes.calls).toContainEqual(['products', 'entitlements', 'staff', 'settings']);
        expect(revoked).toEqual([TERMINAL_REVOKED_MESSAGE]);
      });
      expect(errors.map((e) => e.message)).toContain('change listener lost its connection');

      // Listening again: a later change from B arrives as usual.
      b.publish(store.id, ['staff']);
      await vi.waitFor(() => {
        expect(changes.calls.at(-1)).toEqual(['staff']);
      });
    });

    it('close() ends the listening connection; this instance still tells its own streams', async () => {
      const {
        db,
        notifiers: [a],
      } = await instances(1);
      if (a === undefined) throw new Error('one instance');
      const listening = async () =>
        (
          await sql<{ n: number }>`select count(*) as n from pg_stat_activity
          where application_name = ${LISTENER_APPLICATION_NAME} and datname = current_database()`.execute(
            db,
          )
        ).rows[0]?.n;
      expect(await listening()).toBe(1);
      await a.close();
      await a.close();
      await expect.poll(listening).toBe(0);
      const local = recorder();
      a.subscribe('store-1', local.listener);
      a.publish('store-1', ['staff']);
      expect(local.calls).toEqual([['staff']]);
      expect(errors).toEqual([]);
    });

    it('a notice too large for NOTIFY is logged, not thrown into the request', async () => {
      const {
        notifiers: [a],
      } = await instances(1);
      if (a === undefined) throw new Error('one instance');
      const local = recorder();
      const huge = 's'.repeat(9_000);
      a.subscribe(huge, local.listener);
      expect(() => {
        a.publish(huge, ['products']);
      }).not.toThrow();
      expect(local.calls).toEqual([['products']]);
      expect(errors.map((e) => e.message)).toContain('change notice too large');
    });
  });
