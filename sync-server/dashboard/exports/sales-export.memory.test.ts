import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { TableNode, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStore } from '../../catalogue/stores.ts';
import { openTestDatabase } from '../../test-support/test-database.ts';
import type { Db } from '../../db/schema.ts';
import { systemClock, systemRandomBytes } from '../../deps.ts';
import { buildServer } from '../../app.ts';
import { createStaff } from '../../staff/staff.ts';
import { DASHBOARD_COOKIE, createDashboardSession } from '../session.ts';

const SALES = 100_000;
const INSERT_BATCH = 500;
/** Live heap the export may add: a few pages in flight, far below the 25+ MB of CSV. */
const HEAP_BOUND = 16 * 1024 * 1024;

/**
 * A full collection on demand without starting Node with --expose-gc: the sample then counts what
 * the export really holds, not garbage V8 has not got round to collecting yet.
 */
/**
 * The JS heap plus memory outside it (Buffers): a CSV waiting in a socket's write queue is held
 * as Buffers, which heapUsed alone would not see.
 */
function liveBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** A sale body shaped like a real one (two lines, cash, buyer e-mail): ~900 bytes of JSON. */
function bodyOf(n: number, storeId: string): string {
  const serial = String(n).padStart(6, '0');
  return JSON.stringify({
    buyerEmail: `buyer${String(n)}@example.test`,
    cartDiscount: null,
    createdAt: '2026-11-20T10:00:00.000Z',
    currency: 'EUR',
    discountTotal: 0,
    id: `sale-${serial}`,
    lines: [
      {
        codes: [`T001${serial}AAAAAAAAAAAAAA`],
        kind: 'gift_card',
        lineId: `l1-${serial}`,
        name: 'Gift card €25',
        productId: 'prod-gift-25',
        quantity: 1,
        total: 2500,
      },
      {
        codes: [`T001${serial}BBBBBBBBBBBBBB`, `T001${serial}CCCCCCCCCCCCCC`],
        kind: 'voucher',
        lineId: `l2-${serial}`,
        name: 'Spa voucher, "deluxe"',
        productId: 'prod-spa',
        quantity: 2,
        total: 9000,
      },
    ],
    payments: [{ amount: 11500, change: 0, method: 'cash', rounding: 0, tendered: 11500 }],
    receiptNumber: `T001-${serial}`,
    staffId: null,
    storeId,
    subtotal: 11500,
    taxTotal: 0,
    total: 11500,
  });
}

/** Counts the SELECTs from `sales`, to prove the export pages instead of reading everything. */
function salesSelectCounter(): { plugin: KyselyPlugin; selects: () => number } {
  let selects = 0;
  return {
    plugin: {
      transformQuery: (args) => {
        const node = args.node;
        if (
          node.kind === 'SelectQueryNode' &&
          node.from?.froms.some(
            (from) => TableNode.is(from) && from.table.identifier.name === 'sales',
          )
        ) {
          selects += 1;
        }
        return node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    },
    selects: () => selects,
  };
}

describe('sales.csv export of 100,000 sales', () => {
  let db: Db;
  let storeId: string;
  const counter = salesSelectCounter();
  let app: FastifyInstance;
  let cookie = '';

  beforeAll(async () => {
    db = await openTestDatabase();
    const clock = () => new Date('2026-11-26T10:00:00.000Z');
    const store = await ensureStore(
      db,
      { demo: false, name: 'Big Shop', currency: 'EUR' },
      { clock, randomBytes: systemRandomBytes },
    );
    storeId = store.id;
    await db
      .insertInto('terminals')
      .values({
        id: 'term-1',
        store_id: storeId,
        name: 'Till 1',
        code_prefix: 'T001',
        token_hash: 'x',
        code_key_enc: 'x',
        created_at: '2026-11-01T00:00:00.000Z',
        last_seen_at: null,
        revoked_at: null,
      })
      .execute();
    for (let start = 0; start < SALES; start += INSERT_BATCH) {
      const rows = [];
      for (let n = start; n < start + INSERT_BATCH; n++) {
        rows.push({
          id: `sale-${String(n).padStart(6, '0')}`,
          store_id: storeId,
          terminal_id: 'term-1',
          receipt_number: `T001-${String(n).padStart(6, '0')}`,
          body: bodyOf(n, storeId),
          created_at: '2026-11-20T10:00:00.000Z',
          received_at: '2026-11-20T10:00:01.000Z',
          seq: n + 1,
          staff_id: null,
          shift_id: null,
        });
      }
      await db.insertInto('sales').values(rows).execute();
    }
    // The real route, signed in as the store's manager, over a database that counts queries.
    const deps = { clock: systemClock, randomBytes: systemRandomBytes };
    const manager = await createStaff(
      db,
      {
        storeId,
        name: 'Morgan',
        role: 'manager',
        email: 'morgan@big.example.test',
        password: 'correct horse battery staple',
      },
      deps,
    );
    cookie = `${DASHBOARD_COOKIE}=${await createDashboardSession(db, manager.id, deps)}`;
    app = await buildServer({
      db: db.withPlugin(counter.plugin),
      masterKey: systemRandomBytes(32),
      ...deps,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  it('streams every row in bounded memory, one database page at a time', async () => {
    const { port } = app.server.address() as AddressInfo;
    // Measured before the request: by the time fetch resolves the server has made its first page.
    const gc = collectGarbage();
    gc();
    const baseline = liveBytes();
    const response = await fetch(`http://127.0.0.1:${String(port)}/dashboard/exports/sales.csv`, {
      headers: { cookie },
    });
    expect(response.status).toBe(200);
    if (!response.body) throw new Error('no body');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let peakGrowth = 0;
    let bytes = 0;
    let records = 0;
    let firstLine = '';
    let tail = '';
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      chunks += 1;
      // Only the line count is kept: holding the text would be the test's memory, not the server's.
      const text = tail + decoder.decode(value, { stream: true });
      const lines = text.split('\r\n');
      tail = lines.pop() ?? '';
      if (firstLine === '' && lines.length > 0) firstLine = lines[0] ?? '';
      records += lines.length;
      if (chunks % 10 === 0) {
        gc();
        peakGrowth = Math.max(peakGrowth, liveBytes() - baseline);
      }
    }

    expect(tail).toBe('');
    expect(firstLine.startsWith('receipt_number,sale_id,store')).toBe(true);
    expect(records).toBe(SALES + 1);
    expect(bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(peakGrowth).toBeLessThan(HEAP_BOUND);
    expect(chunks).toBeGreaterThan(40);
    // 100 full pages of 1,000 and one empty page that ends the loop: never one query for all.
    expect(counter.selects()).toBe(SALES / 1000 + 1);
  }, 60_000);
});
