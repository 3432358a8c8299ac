import { expect } from 'vitest';
import { API_PREFIX, type EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { TestApp } from './harness.ts';
import { GIFT_25, pushSales, saleMaker, syncHeaders, type LineInput } from './sales.ts';

export const GIFT_50: LineInput = {
  productId: 'prod-gift-50',
  name: 'Gift card €50',
  kind: 'gift_card',
  unitPrice: 5000,
  quantity: 1,
};

export const PCR_VOUCHER: LineInput = {
  productId: 'prod-pcr-test',
  name: 'Diagnostic test voucher',
  kind: 'voucher',
  unitPrice: 8900,
  quantity: 1,
};

/** Gift-card requests and sales for one enrolled terminal of a demo test app. */
export function giftCardClient(t: TestApp, till: EnrolResponse) {
  const makeSale = saleMaker(till);
  return {
    makeSale,
    /** Sells one card of `line` and syncs the sale; returns its code. */
    async soldCard(line: LineInput = GIFT_25): Promise<string> {
      const sale = await makeSale([line]);
      expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
      const code = sale.lines[0]?.codes[0];
      if (code === undefined) throw new Error('The sale issued no code.');
      return code;
    },
    get: (code: string, token = till.token) =>
      t.app.inject({
        method: 'GET',
        url: `${API_PREFIX}/gift-cards/${code}`,
        headers: syncHeaders(token),
      }),
    spend: (code: string, payload: Record<string, unknown>, token = till.token) =>
      t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/gift-cards/${code}/spend`,
        headers: syncHeaders(token),
        payload,
      }),
    /** The card's ledger rows straight from the table (spends only lower the balance: oldest first). */
    ledger: (code: string) =>
      t.db
        .selectFrom('gift_card_ledger')
        .selectAll()
        .where('code', '=', code)
        .orderBy('balance_after', 'desc')
        .execute(),
  };
}

/** The balance recomputed from the rows themselves, independent of the code under test. */
export function sumOf(rows: readonly { kind: string; amount: number }[]): number {
  return rows.reduce((sum, row) => sum + (row.kind === 'spend' ? -row.amount : row.amount), 0);
}
