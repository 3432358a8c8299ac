import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import { Product } from '../../shared/schemas/product.ts';
import {
  API_PREFIX,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type EnrolResponse,
} from '../../shared/schemas/protocol.ts';
import { revokeTerminal } from '../auth/revoke.ts';
import { DEMO_PRODUCTS } from '../catalogue/demo-catalogue.ts';
import { nextSeq } from '../db/seq.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import {
  GIFT_25,
  enrolTerminal,
  errorOf,
  pullPage,
  pushSales,
  saleMaker,
  syncHeaders,
} from '../test-support/sales.ts';

let t: TestApp;
let demoTill: EnrolResponse;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  demoTill = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
});
afterEach(async () => {
  await t.close();
});

const pull = <T>(collection: string, token: string, query = '') =>
  pullPage<T>(t.app, token, collection, query);

describe('GET /api/v1/sync/products/pull', () => {
  it('refuses no token, a wrong token and a revoked terminal', async () => {
    const url = `${API_PREFIX}/sync/products/pull`;
    const noToken = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
    expect(errorOf(await t.app.inject({ url, headers: noToken })).error).toBe('unauthorized');
    const wrong = await t.app.inject({ url, headers: syncHeaders('x'.repeat(43)) });
    expect(wrong.statusCode).toBe(401);
    await revokeTerminal(t.db, demoTill.terminalId, t.clock.now);
    const revoked = await t.app.inject({ url, headers: syncHeaders(demoTill.token) });
    expect(revoked.statusCode).toBe(401);
    expect(errorOf(revoked).error).toBe('terminal_revoked');
  });

  it('refuses a bad query and says what is wrong', async () => {
    for (const query of ['?limit=0', '?limit=2001', '?seq=-1', '?seq=abc']) {
      const response = await t.app.inject({
        url: `${API_PREFIX}/sync/products/pull${query}`,
        headers: syncHeaders(demoTill.token),
      });
      expect(response.statusCode, query).toBe(400);
      expect(errorOf(response).message).toMatch(/^The pull query is not valid: (limit|seq): /);
    }
  });

  it("returns only the terminal's store, oldest change first, pages by checkpoint", async () => {
    const other = await t.addStore('Other Shop');
    await t.db
      .insertInto('products')
      .values({
        id: 'prod-other',
        store_id: other.id,
        name: 'Not yours',
        description: '',
        kind: 'voucher',
        price: 100,
        currency: 'EUR',
        active: 1,
        updated_at: '2026-11-26T10:00:00.000Z',
        seq: await nextSeq(t.db),
      })
      .execute();
    const otherTill = await enrolTerminal(t.app, await t.pairingCode(other.id));

    const first = await pull<Product>('products', demoTill.token, '?seq=0&limit=4');
    expect(first.documents).toHaveLength(4);
    // Protocol v5: a full page says how many of the store's products follow it (not the other
    // store's), for a new till's progress bar.
    expect(first.remaining).toBe(DEMO_PRODUCTS.length - 4);
    const second = await pull<Product>(
      'products',
      demoTill.token,
      `?seq=${first.checkpoint.seq}&limit=4`,
    );
    const all = [...first.documents, ...second.documents];
    expect(all.map((doc) => doc.id)).toEqual(DEMO_PRODUCTS.map((product) => product.id));
    for (const doc of all) {
      const { _deleted, ...product } = doc;
      expect(_deleted).toBe(false);
      expect(Product.parse(product).storeId).toBe('demo-store');
    }
    expect(second.checkpoint.seq).toBeGreaterThan(first.checkpoint.seq);
    // Protocol v2: each product brings what its sale issues, for the counter to print offline.
    expect(all.find((doc) => doc.id === 'prod-gift-25')?.template).toMatchObject({
      kind: 'gift_card',
      initialBalance: 2500,
    });
    expect(all.find((doc) => doc.id === 'prod-winter-gala')?.template).toMatchObject({
      kind: 'ticket',
      eventName: 'Winter Gala',
    });
    // Protocol v3: the barcode a scanner types and the tax class the counter prices with.
    expect(all.find((doc) => doc.id === 'prod-design-suite')).toMatchObject({
      barcode: '2000000199009',
      taxClass: { id: 'tax-standard', name: 'VAT', milliPercent: 20_000, inclusive: true },
    });
    expect(all.find((doc) => doc.id === 'prod-gift-25')?.taxClass).toBeNull();

    const end = await pull<Product>('products', demoTill.token, `?seq=${second.checkpoint.seq}`);
    expect(second.remaining).toBe(0);
    expect(end).toEqual({ documents: [], checkpoint: second.checkpoint, remaining: 0 });

    const theirs = await pull<Product>('products', otherTill.token);
    expect(theirs.documents.map((doc) => doc.id)).toEqual(['prod-other']);
  });
});

describe('GET /api/v1/sync/entitlements/pull', () => {
  it('refuses no token', async () => {
    const response = await t.app.inject({ url: `${API_PREFIX}/sync/entitlements/pull` });
    expect(response.statusCode).toBe(426);
    const noToken = await t.app.inject({
      url: `${API_PREFIX}/sync/entitlements/pull`,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(noToken.statusCode).toBe(401);
  });

  it('returns the status of the codes this terminal issued after their sales arrive, and only those', async () => {
    const other = await t.addStore('Other Shop');
    const otherTill = await enrolTerminal(t.app, await t.pairingCode(other.id));
    // A second till of the same store: its codes are bearer codes this till has no use for.
    const nextTill = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
    const sale = await saleMaker(demoTill)([{ ...GIFT_25, quantity: 2 }]);
    expect((await pushSales(t.app, demoTill.token, [sale])).statusCode).toBe(200);
    const theirSale = await saleMaker(otherTill)();
    expect((await pushSales(t.app, otherTill.token, [theirSale])).statusCode).toBe(200);
    const nextSale = await saleMaker(nextTill)([{ ...GIFT_25, quantity: 3 }]);
    expect((await pushSales(t.app, nextTill.token, [nextSale])).statusCode).toBe(200);

    const page = await pull<EntitlementStatus>('entitlements', demoTill.token, '?seq=0&limit=1');
    expect(page.documents).toHaveLength(1);
    // Its other code follows; the other tills' codes, of its store or not, are not counted.
    expect(page.remaining).toBe(1);
    const rest = await pull<EntitlementStatus>(
      'entitlements',
      demoTill.token,
      `?seq=${page.checkpoint.seq}`,
    );
    const statuses = [...page.documents, ...rest.documents].map(({ _deleted, ...doc }) => {
      expect(_deleted).toBe(false);
      return EntitlementStatus.parse(doc);
    });
    expect(statuses.map((status) => status.code)).toEqual(sale.lines[0]?.codes);
    expect(rest.remaining).toBe(0);

    const theirs = await pull<EntitlementStatus>('entitlements', nextTill.token);
    expect(theirs.documents.map((doc) => doc.code)).toEqual(nextSale.lines[0]?.codes);
    expect(statuses[0]).toEqual({
      code: sale.lines[0]?.codes[0],
      storeId: 'demo-store',
      saleId: sale.id,
      productId: 'prod-gift-25',
      productName: 'Gift card €25',
      kind: 'gift_card',
      state: 'known',
      consumedAt: null,
      updatedAt: '2026-11-26T10:00:00.000Z',
    });
  });
});
