import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test-support/test-database.ts';
import type { Db } from '../db/schema.ts';
import { TEST_START, seededRandomBytes, testClock } from '../test-support/harness.ts';
import { enqueue } from './enqueue.ts';

let db: Db;
const deps = { clock: testClock().now, randomBytes: seededRandomBytes('enqueue') };
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.destroy();
});

const job = { kind: 'test', idempotencyKey: 'test:1', payload: { saleId: 's-1', n: 2 } };

describe('enqueue', () => {
  it('writes a pending row, due now, with the payload as JSON text', async () => {
    expect(await enqueue(db, job, deps)).toBe(true);
    const rows = await db.selectFrom('outbox').selectAll().execute();
    expect(rows).toEqual([
      {
        id: expect.stringMatching(/^outbox_[0-9a-f]{32}$/) as unknown,
        kind: 'test',
        idempotency_key: 'test:1',
        payload: '{"saleId":"s-1","n":2}',
        state: 'pending',
        attempts: 0,
        next_attempt_at: TEST_START,
        last_error: null,
        created_at: TEST_START,
        sent_at: null,
      },
    ]);
  });

  it('leaves no row when the transaction it was written in rolls back', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        expect(await enqueue(trx, job, deps)).toBe(true);
        expect(await trx.selectFrom('outbox').select('id').execute()).toHaveLength(1);
        throw new Error('the fact was not written after all');
      }),
    ).rejects.toThrow('the fact was not written');
    expect(await db.selectFrom('outbox').select('id').execute()).toEqual([]);
  });

  it('ignores a second job with the same idempotency key, inside a transaction too', async () => {
    expect(await enqueue(db, job, deps)).toBe(true);
    const again = await db
      .transaction()
      .execute((trx) => enqueue(trx, { ...job, payload: { other: true } }, deps));
    expect(again).toBe(false);
    const rows = await db.selectFrom('outbox').select(['idempotency_key', 'payload']).execute();
    expect(rows).toEqual([{ idempotency_key: 'test:1', payload: '{"saleId":"s-1","n":2}' }]);
    expect(await enqueue(db, { ...job, idempotencyKey: 'test:2' }, deps)).toBe(true);
    expect(await db.selectFrom('outbox').select('id').execute()).toHaveLength(2);
  });
});
