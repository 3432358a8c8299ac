import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCode, verifyCodeMac } from '../../shared/code/entitlement-code.ts';
import { timeOfId } from '../../shared/ids/time-ordered-id.ts';
import { Sale } from '../../shared/schemas/sale.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { OPEN_CART_ID } from '../data/local-schemas.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { createCartCommands } from '../sell/cart.ts';
import {
  CheckoutProblem,
  completeCashSale,
  recoverInterruptedCheckout,
  writeSale,
} from './complete-sale.ts';
import {
  codesSignedAhead,
  decodeCodeKey,
  reserveAhead,
  reserveSerials,
  takeReservation,
} from './issuing.ts';
import { seedProducts, testCredentials, testProduct } from './test-fixtures.ts';

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
  await seedProducts(db, [
    testProduct('gift', 2500),
    testProduct('test', 8900),
    testProduct('old', 100, { active: false }),
  ]);
});
afterEach(async () => {
  await db.close();
});

describe('completing a cash sale', () => {
  it('refuses an empty cart and too little cash, with what to do', async () => {
    await expect(completeCashSale(db, testCredentials, { tendered: 10_000 })).rejects.toThrow(
      /cart is empty/,
    );
    await createCartCommands(db).add('gift');
    await expect(completeCashSale(db, testCredentials, { tendered: 2000 })).rejects.toThrow(
      CheckoutProblem,
    );
    await expect(completeCashSale(db, testCredentials, { tendered: 2000 })).rejects.toThrow(
      /€5.00 more/,
    );
    expect(await db.sales.count().exec()).toBe(0);
  });

  it('keeps a valid buyer e-mail on the sale and refuses a malformed one', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift');
    await expect(
      completeCashSale(db, testCredentials, { tendered: 2500, buyerEmail: 'not-an-address' }),
    ).rejects.toThrow(/e-mail address does not look right/);
    expect(await db.sales.count().exec()).toBe(0);
    const sale = await completeCashSale(db, testCredentials, {
      tendered: 2500,
      buyerEmail: 'buyer@example.com',
    });
    expect(sale.buyerEmail).toBe('buyer@example.com');
  });

  it('refuses an item that is no longer sold', async () => {
    await createCartCommands(db).add('old');
    await expect(completeCashSale(db, testCredentials, { tendered: 10_000 })).rejects.toThrow(
      /no longer sold/,
    );
  });

  it('writes one sale holding one genuine code per unit, and empties the cart', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift', 2);
    await cart.add('test');
    const sale = await completeCashSale(db, testCredentials, { tendered: 20_000 });
    expect(Sale.safeParse(sale).success).toBe(true);
    expect(sale.total).toBe(13_900);
    expect(sale.payments).toEqual([
      { method: 'cash', amount: 13_900, rounding: 0, tendered: 20_000, change: 6100 },
    ]);
    const codes = sale.lines.flatMap((line) => line.codes);
    expect(codes).toHaveLength(3);
    for (const code of codes) {
      const parsed = parseCode(code);
      expect(
        parsed.ok && (await verifyCodeMac(parsed.value, decodeCodeKey(testCredentials.codeKey))),
      ).toBe(true);
    }
    expect((await db.sales.findOne(sale.id).exec())?.toJSON().receiptNumber).toBe('T1T1-000001');
    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines).toEqual([]);
  });

  it('numbers receipts and serials onwards across sales', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift');
    const first = await completeCashSale(db, testCredentials, { tendered: 2500 });
    await cart.add('gift', 2);
    const second = await completeCashSale(db, testCredentials, { tendered: 5000 });
    expect(second.receiptNumber).toBe('T1T1-000002');
    const serials = [...first.lines, ...second.lines].flatMap((line) =>
      line.codes.map((code) => {
        const parsed = parseCode(code);
        return parsed.ok ? parsed.value.serial : -1;
      }),
    );
    expect(serials).toEqual([0, 1, 2]);
  });

  it('never hands the same serial to two checkouts running at once', async () => {
    const reservations = await Promise.all(
      Array.from({ length: 20 }, () => reserveSerials(db, 'term-1', 'T1T1', 3)),
    );
    const serials = reservations.flatMap((reservation) => reservation.serials);
    expect(new Set(serials).size).toBe(60);
    expect(new Set(reservations.map((reservation) => reservation.receiptNumber)).size).toBe(20);
  });

  it('reserves the numbers ahead, so Complete writes the sale and not the counter', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift', 2);
    await reserveAhead(db, testCredentials, 2);
    const counter = await db.counters.findOne('issuing').exec();
    const revision = counter?.revision;
    expect(revision).toBeDefined();
    const sale = await completeCashSale(db, testCredentials, { tendered: 5000 });
    expect((await db.counters.findOne('issuing').exec())?.revision).toBe(revision);
    expect(sale.receiptNumber).toBe('T1T1-000001');
    const codes = sale.lines.flatMap((line) => line.codes);
    for (const code of codes) {
      const parsed = parseCode(code);
      expect(
        parsed.ok && (await verifyCodeMac(parsed.value, decodeCodeKey(testCredentials.codeKey))),
      ).toBe(true);
    }
    // The next sale reserves again: a new receipt number, the serials still held.
    await cart.add('test');
    await reserveAhead(db, testCredentials, 1);
    const next = await completeCashSale(db, testCredentials, { tendered: 8900 });
    expect(next.receiptNumber).toBe('T1T1-000002');
    expect(serialsOf([sale, next])).toEqual([0, 1, 2]);
  });

  it('knows the codes a sale will be given before Complete, to draw their QR codes', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift', 2);
    expect(await codesSignedAhead(db, testCredentials, 2)).toEqual([]);
    await reserveAhead(db, testCredentials, 2);
    const ahead = await codesSignedAhead(db, testCredentials, 2);
    expect(ahead).toHaveLength(2);
    const sale = await completeCashSale(db, testCredentials, { tendered: 5000 });
    expect(sale.lines.flatMap((line) => line.codes)).toEqual(ahead);
    // Taken by that sale: the next one's are others.
    await cart.add('test');
    await reserveAhead(db, testCredentials, 1);
    const next = await codesSignedAhead(db, testCredentials, 1);
    expect(next).toHaveLength(1);
    expect(ahead).not.toContain(next[0]);
  });

  it('never hands out a number held ahead twice, whoever else reserves meanwhile', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift');
    await reserveAhead(db, testCredentials, 1);
    // Another window's checkout reserves after this one's numbers held ahead.
    const other = await reserveSerials(db, 'term-1', 'T1T1', 2);
    const mine = await completeCashSale(db, testCredentials, { tendered: 2500 });
    expect(mine.receiptNumber).toBe('T1T1-000001');
    expect(other.receiptNumber).toBe('T1T1-000002');
    expect(other.serials.some((serial) => serialsOf([mine]).includes(serial))).toBe(false);
    // A cart that outgrew what was held ahead reserves for itself at Complete.
    await reserveAhead(db, testCredentials, 1);
    await cart.add('gift', 30);
    const big = await completeCashSale(db, testCredentials, { tendered: 100_000 });
    expect(big.receiptNumber).toBe('T1T1-000004');
    const all = [...serialsOf([mine, big]), ...other.serials];
    expect(new Set(all).size).toBe(all.length);
    // Checkouts, reservations ahead and other windows all at once: no repeats either.
    const issuer = testCredentials;
    const taken = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0
          ? reserveAhead(db, issuer, 2).then(() => takeReservation(db, issuer, 2))
          : i % 3 === 1
            ? takeReservation(db, issuer, 3)
            : reserveSerials(db, 'term-1', 'T1T1', 1),
      ),
    );
    const receipts = [mine, big, other, ...taken].map((r) => r.receiptNumber);
    expect(new Set(receipts).size).toBe(receipts.length);
    const serials = [...all, ...taken.flatMap((r) => r.serials)];
    expect(new Set(serials).size).toBe(serials.length);
  });

  it('finishes a checkout that crashed after the sale was written', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift');
    const sale = await completeCashSale(db, testCredentials, { tendered: 2500 });
    // Simulate the crash: the cart still holds the lines and the pending sale id.
    const doc = await db.carts.findOne(OPEN_CART_ID).exec();
    await doc?.incrementalPatch({
      lines: [{ productId: 'gift', quantity: 1 }],
      pendingSaleId: sale.id,
    });
    // It names the sale, whose receipt the crash may have kept off the screen.
    expect(await recoverInterruptedCheckout(db)).toBe(sale.id);
    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines).toEqual([]);
    expect(await db.sales.count().exec()).toBe(1);
    expect(await recoverInterruptedCheckout(db)).toBeNull();
  });
});

describe('the sale before the receipt, the cart after it', () => {
  it('stores the sale without emptying the cart; clearCart empties it afterwards', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift');
    const written = await writeSale(db, testCredentials, { cashTendered: 2500 });
    expect((await db.sales.findOne(written.sale.id).exec())?.toJSON().total).toBe(2500);
    expect(written.templates).toEqual(new Map([['gift', null]]));
    const before = await db.carts.findOne(OPEN_CART_ID).exec();
    expect(before?.pendingSaleId).toBe(written.sale.id);
    expect(before?.lines).toHaveLength(1);
    // Pressing Complete again meanwhile finds the sale stored, and sells nothing twice.
    const again = await writeSale(db, testCredentials, { cashTendered: 2500 });
    expect(again.sale).toEqual(written.sale);
    // Even when the second press would not pass the checks (no cash typed this time).
    const third = await writeSale(db, testCredentials, {});
    expect(third.sale).toEqual(written.sale);
    await written.clearCart();
    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines).toEqual([]);
    expect(await db.sales.count().exec()).toBe(1);
  });

  it('reads no sale before the insert: the receipt waits only for the write', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift');
    const findOne = vi.spyOn(db.sales, 'findOne');
    try {
      const written = await writeSale(db, testCredentials, { cashTendered: 2500 });
      expect(findOne).not.toHaveBeenCalled();
      // Only a second press, which the insert refuses, reads the sale already stored.
      const again = await writeSale(db, testCredentials, { cashTendered: 2500 });
      expect(again.sale).toEqual(written.sale);
      expect(findOne).toHaveBeenCalledTimes(1);
    } finally {
      findOne.mockRestore();
    }
  });

  it('gives the emptied cart the next sale id, which the next checkout uses', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift');
    const first = await completeCashSale(db, testCredentials, { tendered: 2500 });
    const next = (await db.carts.findOne(OPEN_CART_ID).exec())?.pendingSaleId;
    expect(next).toBeDefined();
    expect(next).not.toBe(first.id);
    await cart.add('test');
    const second = await completeCashSale(db, testCredentials, { tendered: 8900 });
    expect(second.id).toBe(next);
    expect(second.lines.map((line) => line.productId)).toEqual(['test']);
    // A start-up finds nothing to repair in a cart that only names the next sale.
    await cart.add('gift');
    expect(await recoverInterruptedCheckout(db)).toBeNull();
    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines).toHaveLength(1);
  });

  it('gives sales time-ordered ids: a later sale sorts after an earlier one', async () => {
    const cart = createCartCommands(db);
    const ids: string[] = [];
    for (const tendered of [2500, 2500, 2500]) {
      await cart.add('gift');
      ids.push((await completeCashSale(db, testCredentials, { tendered })).id);
    }
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    expect(Math.abs(timeOfId(ids[2] ?? '') - Date.now())).toBeLessThan(60_000);
  });

  it('queues the emptying before an edit asked for afterwards: the edit is kept', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift');
    const written = await writeSale(db, testCredentials, { cashTendered: 2500 });
    const cleared = written.clearCart();
    await cart.add('test');
    await cleared;
    const after = await db.carts.findOne(OPEN_CART_ID).exec();
    expect(after?.lines).toEqual([{ productId: 'test', quantity: 1 }]);
    expect(after?.pendingSaleId).not.toBe(written.sale.id);
    // Clearing again (a late repeat) leaves the cart that moved on alone.
    await written.clearCart();
    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines).toHaveLength(1);
  });
});

describe('cart commands', () => {
  it('adds, changes and removes quantities', async () => {
    const cart = createCartCommands(db);
    await cart.add('gift');
    await cart.add('gift');
    await cart.add('test');
    await cart.setQuantity('test', 4);
    await cart.remove('gift');
    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines).toEqual([
      { productId: 'test', quantity: 4 },
    ]);
    await cart.setQuantity('test', 0);
    expect((await db.carts.findOne(OPEN_CART_ID).exec())?.lines).toEqual([]);
  });
});

function serialsOf(sales: readonly Sale[]): number[] {
  return sales.flatMap((sale) =>
    sale.lines.flatMap((line) =>
      line.codes.map((code) => {
        const parsed = parseCode(code);
        return parsed.ok ? parsed.value.serial : -1;
      }),
    ),
  );
}
