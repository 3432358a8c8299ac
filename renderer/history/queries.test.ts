import { filter, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProductTemplate } from '../../shared/templates/product-template.ts';
import { completeCashSale } from '../checkout/complete-sale.ts';
import { seedProducts, testCredentials, testProduct } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands } from '../sell/cart.ts';
import type { PendingFloor } from './queries.ts';
import {
  pendingCount$,
  pendingCountOrRecounting$,
  pendingFloorId,
  salesSince$,
  startOfDay,
  templatesOfSale$,
} from './queries.ts';

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [testProduct('gift', 2500)]);
});
afterEach(async () => {
  await db.close();
});

async function sellAt(iso: string): Promise<string> {
  await createCartCommands(db).add('gift');
  const sale = await completeCashSale(
    db,
    testCredentials,
    { tendered: 2500 },
    { now: () => new Date(iso), newId: () => crypto.randomUUID() },
  );
  return sale.receiptNumber;
}

describe('sales queries', () => {
  it('lists the sales of a period, newest first, and nothing older', async () => {
    const old = await sellAt('2026-11-20T10:00:00.000Z');
    const morning = await sellAt('2026-11-26T09:00:00.000Z');
    const noon = await sellAt('2026-11-26T12:00:00.000Z');
    const today = await firstValueFrom(salesSince$(db, new Date('2026-11-26T00:00:00.000Z')));
    expect(today.map((sale) => sale.receiptNumber)).toEqual([noon, morning]);
    const week = await firstValueFrom(salesSince$(db, new Date('2026-11-19T00:00:00.000Z')));
    expect(week.map((sale) => sale.receiptNumber)).toEqual([noon, morning, old]);
  });

  it('starts a period at local midnight, days back', () => {
    const start = startOfDay(new Date(2026, 10, 26, 15, 30), 6);
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours()]).toEqual([
      2026, 10, 20, 0,
    ]);
  });

  it("reads the templates of a sale's products from the catalogue, null where there is none", async () => {
    const template = ProductTemplate.parse({
      kind: 'gift_card',
      initialBalance: 2500,
      currency: 'EUR',
      validity: { kind: 'days', days: 365 },
      fulfilment: { action: 'none' },
    });
    await seedProducts(db, [testProduct('card', 2500, { kind: 'gift_card', template })]);
    const cart = createCartCommands(db);
    await cart.add('gift');
    await cart.add('card');
    const sale = await completeCashSale(db, testCredentials, { tendered: 5000 });
    const templates = await firstValueFrom(templatesOfSale$(db, sale.id));
    expect(Object.fromEntries(templates)).toEqual({ gift: null, card: template });
    expect((await firstValueFrom(templatesOfSale$(db, 'not-here'))).size).toBe(0);
  });

  it('counts sales without an acknowledgement from the server as pending', async () => {
    await sellAt('2026-11-26T09:00:00.000Z');
    const [sale] = await db.sales.find().exec();
    expect(await firstValueFrom(pendingCount$(db))).toBe(1);
    await db.sync_acks.insert({
      id: sale!.id,
      outcome: 'accepted',
      at: '2026-11-26T09:00:01.000Z',
    });
    expect(await firstValueFrom(pendingCount$(db))).toBe(0);
  });

  it('does not let acknowledged audit events of the terminal hide a pending sale', async () => {
    await sellAt('2026-11-26T09:00:00.000Z');
    const at = '2026-11-26T09:00:01.000Z';
    const { terminalId } = testCredentials;
    await db.sync_acks.bulkInsert([
      { id: `${terminalId}_1`, outcome: 'accepted', at },
      { id: `${terminalId}_2`, outcome: 'rejected', reason: 'Broken link.', at },
    ]);
    expect(await firstValueFrom(pendingCount$(db, terminalId))).toBe(1);
  });

  it('says it is recounting straight after a write, so a count from before it is never current', async () => {
    const seen: (number | null)[] = [];
    const watch = pendingCountOrRecounting$(db).subscribe((count) => seen.push(count));
    expect(await firstValueFrom(pendingCount$(db))).toBe(0);
    const before = seen.length;
    await sellAt('2026-11-26T09:00:00.000Z');
    await vi.waitFor(() => {
      expect(seen.at(-1)).toBe(1);
    });
    watch.unsubscribe();
    expect(seen.slice(before)[0]).toBeNull();
  });

  it('never reads 0 while a sale waits, whatever acks arrive meanwhile', async () => {
    await sellAt('2026-11-26T09:00:00.000Z');
    const [sale] = await db.sales.find().exec();
    const { terminalId } = testCredentials;
    const seen: number[] = [];
    const watch = pendingCount$(db, terminalId).subscribe((count) => seen.push(count));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
    await firstValueFrom(pendingCount$(db, terminalId));
    await settle();
    const at = '2026-11-26T09:00:01.000Z';
    // An audit batch is answered before the last sales batch (the push helper's glitch).
    for (let seq = 1; seq <= 5; seq++) {
      await db.sync_acks.insert({ id: `${terminalId}_${String(seq)}`, outcome: 'accepted', at });
      await settle();
    }
    const beforeSaleAck = [...seen];
    await db.sync_acks.insert({ id: sale!.id, outcome: 'accepted', at });
    await firstValueFrom(pendingCount$(db, terminalId).pipe(filter((count) => count === 0)));
    await settle();
    watch.unsubscribe();
    // The count is kept up to date per batch: the audit acks change nothing, so it reads 1 throughout.
    expect(beforeSaleAck.length).toBeGreaterThan(0);
    expect(new Set(beforeSaleAck)).toEqual(new Set([1]));
    expect(seen.at(-1)).toBe(0);
  });

  it('keeps the count per written batch: acks take sales off, removed acks put them back', async () => {
    const seen: number[] = [];
    const watch = pendingCount$(db).subscribe((count) => seen.push(count));
    const at = '2026-11-26T09:00:01.000Z';
    await sellAt('2026-11-26T09:00:00.000Z');
    await sellAt('2026-11-26T09:00:00.500Z');
    await vi.waitFor(() => {
      expect(seen.at(-1)).toBe(2);
    });
    const ids = (await db.sales.find().exec()).map((doc) => doc.id);
    await db.sync_acks.bulkInsert(ids.map((id) => ({ id, outcome: 'accepted' as const, at })));
    await vi.waitFor(() => {
      expect(seen.at(-1)).toBe(0);
    });
    // A new server generation removes the accepted acks: both sales wait again.
    await db.sync_acks.find({ selector: { outcome: 'accepted' } }).remove();
    await vi.waitFor(() => {
      expect(seen.at(-1)).toBe(2);
    });
    // A sale whose ack is stored before its own write reaches the count (another window).
    const late = crypto.randomUUID();
    await db.sync_acks.insert({ id: late, outcome: 'accepted', at });
    const [template] = await db.sales.find().exec();
    await db.sales.insert({ ...template!.toMutableJSON(), id: late });
    await new Promise((resolve) => setTimeout(resolve, 50));
    watch.unsubscribe();
    expect(seen.at(-1)).toBe(2);
  });

  it('reads only the facts written since its floor, and moves the floor up as acks arrive', async () => {
    await sellAt('2026-11-26T09:00:00.000Z');
    const [first] = await db.sales.find().exec();
    const lwtOf = (id: string) =>
      db.sales
        .findOne(id)
        .exec()
        .then((doc) => doc!.toJSON(true)._meta.lwt);
    const firstLwt = await lwtOf(first!.id);
    await db.sync_acks.insert({ id: first!.id, outcome: 'accepted', at: '2026-11-26T09:00:01Z' });
    expect(await firstValueFrom(pendingCount$(db))).toBe(0);
    // Nothing waits: the floor sits a margin below the newest fact, with the generation it holds for.
    const floor = await db.getLocal<PendingFloor>(pendingFloorId('sales'));
    expect(floor?.toJSON().data).toEqual({ keyedOn: null, lwt: firstLwt - 60_000 });

    // A floor above a fact hides it: proof that facts below the floor are not read at all.
    await sellAt('2026-11-26T10:00:00.000Z');
    expect(await firstValueFrom(pendingCount$(db))).toBe(1);
    await db.upsertLocal<PendingFloor>(pendingFloorId('sales'), {
      keyedOn: null,
      lwt: Date.now() + 3_600_000,
    });
    expect(await firstValueFrom(pendingCount$(db))).toBe(0);
    // A new generation (accepted acks removed, renderer/sync/replication.ts) voids the floor.
    await db.upsertLocal('sync-generation', { generation: 2, keyedOn: 2 });
    expect(await firstValueFrom(pendingCount$(db))).toBe(1);
  });
});
