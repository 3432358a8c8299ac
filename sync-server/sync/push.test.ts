import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCode } from '../../shared/code/entitlement-code.ts';
import {
  API_PREFIX,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PushResponse,
  type EnrolResponse,
} from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { revokeTerminal } from '../auth/revoke.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import {
  GIFT_25,
  enrolTerminal,
  errorOf,
  pushSales,
  saleMaker,
  syncHeaders,
} from '../test-support/sales.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';

let t: TestApp;
let till: EnrolResponse;
let makeSale: ReturnType<typeof saleMaker>;
let published: string[];
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  makeSale = saleMaker(till);
  published = [];
  t.notifier.subscribe('demo-store', (collections) => published.push(...collections));
});
afterEach(async () => {
  await t.close();
});

const URL = `${API_PREFIX}/sync/sales/push`;

async function stored() {
  return {
    sales: await t.db.selectFrom('sales').selectAll().orderBy('seq').execute(),
    codes: await t.db.selectFrom('entitlements').selectAll().orderBy('seq').execute(),
  };
}

async function pushOk(documents: unknown[], token = till.token): Promise<PushResponse> {
  const response = await pushSales(t.app, token, documents);
  expect(response.statusCode, response.body).toBe(200);
  return PushResponse.parse(response.json());
}

describe('POST /api/v1/sync/sales/push: refusals', () => {
  it('refuses no token, a wrong token and a revoked terminal, and writes nothing', async () => {
    const sale = await makeSale();
    const payload = { rows: [{ newDocumentState: sale }] };
    const noToken = await t.app.inject({
      method: 'POST',
      url: URL,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      payload,
    });
    expect(errorOf(noToken).error).toBe('unauthorized');
    const wrong = await t.app.inject({
      method: 'POST',
      url: URL,
      headers: syncHeaders('w'.repeat(43)),
      payload,
    });
    expect(wrong.statusCode).toBe(401);
    await revokeTerminal(t.db, till.terminalId, t.clock.now);
    const revoked = await pushSales(t.app, till.token, [sale]);
    expect(revoked.statusCode).toBe(401);
    expect(errorOf(revoked).error).toBe('terminal_revoked');
    expect(await stored()).toEqual({ sales: [], codes: [] });
  });

  it('refuses the whole push with 403 if any sale names another store', async () => {
    const good = await makeSale();
    const foreign = { ...(await makeSale()), storeId: 'someone-elses-store' };
    const response = await pushSales(t.app, till.token, [good, foreign]);
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).error).toBe('wrong_store');
    expect(await stored()).toEqual({ sales: [], codes: [] });
  });

  it('refuses the whole push with 403 if any sale names another terminal', async () => {
    const otherTill = await enrolTerminal(t.app, await t.pairingCode('demo-store'), 'Till 2');
    const theirs = await saleMaker(otherTill)();
    const response = await pushSales(t.app, till.token, [await makeSale(), theirs]);
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).error).toBe('wrong_terminal');
    expect(await stored()).toEqual({ sales: [], codes: [] });
  });

  it('refuses a bad body with 400 and a body over 1 MiB with 413', async () => {
    for (const payload of [
      {},
      { rows: [] },
      { rows: 'x' },
      { rows: Array.from({ length: 101 }, () => ({ newDocumentState: {} })) },
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: URL,
        headers: syncHeaders(till.token),
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).message).toMatch(/^The push request is not valid: rows/);
    }
    const huge = await t.app.inject({
      method: 'POST',
      url: URL,
      headers: syncHeaders(till.token),
      payload: { rows: [{ newDocumentState: { note: 'x'.repeat(1024 * 1024) } }] },
    });
    expect(huge.statusCode).toBe(413);
    expect(errorOf(huge).error).toBe('payload_too_large');
  });
});

describe('POST /api/v1/sync/sales/push: rows', () => {
  it('rejects a schema-invalid sale with a readable reason while the rest of the batch is accepted', async () => {
    const good = await makeSale();
    const bad = await makeSale();
    const wrongTotal = { ...bad, total: bad.total + 1 };
    const response = await pushOk([wrongTotal, good, 'not a sale']);
    expect(response.accepted).toEqual([good.id]);
    expect(response.rejected).toEqual([
      {
        id: bad.id,
        reason: expect.stringMatching(
          /^The sale is not valid: total: Sale total should be 2500/,
        ) as string,
      },
      { id: '#2', reason: 'A pushed row must hold a sale object.' },
    ]);
    const { sales } = await stored();
    expect(sales.map((row) => row.id)).toEqual([good.id]);
    expect(published).toEqual(['entitlements']);
  });

  it("tells the pushing terminal's streams that its statuses changed, not the store's other terminals'", async () => {
    const otherTill = await enrolTerminal(t.app, await t.pairingCode('demo-store'), 'Till 2');
    const heard = { mine: [] as string[], theirs: [] as string[] };
    t.notifier.subscribe('demo-store', (c) => heard.mine.push(...c), till.terminalId);
    t.notifier.subscribe('demo-store', (c) => heard.theirs.push(...c), otherTill.terminalId);
    await pushOk([await makeSale()]);
    expect(heard).toEqual({ mine: ['entitlements'], theirs: [] });
    // Each till pulls only its own codes' statuses, so the other one has nothing to fetch.
    await pushOk([await saleMaker(otherTill)()], otherTill.token);
    expect(heard).toEqual({ mine: ['entitlements'], theirs: ['entitlements'] });
  });

  it('stores a sale with all its codes in one write, state known, ordered by the server seq', async () => {
    const sale = await makeSale([
      { ...GIFT_25, quantity: 2 },
      {
        productId: 'prod-pcr-test',
        name: 'Diagnostic test voucher',
        kind: 'voucher',
        unitPrice: 8900,
        quantity: 1,
      },
    ]);
    t.clock.advance(5_000);
    expect(await pushOk([{ ...sale, createdAt: '1999-01-01T00:00:00.000Z' }])).toEqual({
      accepted: [sale.id],
      rejected: [],
    });
    const { sales, codes } = await stored();
    expect(sales).toHaveLength(1);
    expect(sales[0]).toMatchObject({
      store_id: 'demo-store',
      terminal_id: till.terminalId,
      created_at: '1999-01-01T00:00:00.000Z',
      received_at: '2026-11-26T10:00:05.000Z',
    });
    expect(codes.map((row) => [row.code, row.product_id, row.state])).toEqual([
      [sale.lines[0]?.codes[0], 'prod-gift-25', 'known'],
      [sale.lines[0]?.codes[1], 'prod-gift-25', 'known'],
      [sale.lines[1]?.codes[0], 'prod-pcr-test', 'known'],
    ]);
    const seqs = [sales[0]?.seq ?? 0, ...codes.map((row) => row.seq)];
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(4);
  });

  it('stores the same sale once, however often and however serialised it is pushed', async () => {
    const sale = await makeSale();
    expect((await pushOk([sale, sale])).accepted).toEqual([sale.id, sale.id]);
    const first = await stored();
    const reordered = JSON.parse(canonicalJson(sale)) as Sale;
    expect(await pushOk([reordered])).toEqual({ accepted: [sale.id], rejected: [] });
    expect(await stored()).toEqual(first);
    expect(first.codes).toHaveLength(1);
    expect(published).toEqual(['entitlements']);
  });

  it('refuses a changed copy of a sale; the first copy stands', async () => {
    const sale = await makeSale();
    await pushOk([sale]);
    const before = await stored();
    const changed: Sale = { ...sale, createdAt: '2026-11-26T11:00:00.000Z' };
    expect(await pushOk([changed])).toEqual({
      accepted: [],
      rejected: [
        {
          id: sale.id,
          reason: `A different copy of sale ${sale.receiptNumber} is already on the server; the first copy stands. Tell a manager.`,
        },
      ],
    });
    expect(await stored()).toEqual(before);
  });

  it('refuses a code whose MAC does not verify under this terminal key', async () => {
    const sale = await makeSale();
    const forged = await issueCode({
      prefix: till.terminalPrefix,
      serial: 4242,
      key: new Uint8Array(32).fill(1),
    });
    const line = sale.lines[0];
    if (!line) throw new Error('no line');
    const response = await pushOk([{ ...sale, lines: [{ ...line, codes: [forged] }] }]);
    expect(response.rejected[0]?.reason).toMatch(
      /is not genuine: it was not signed with this terminal's key\.$/,
    );
    expect(await stored()).toEqual({ sales: [], codes: [] });
  });

  it("refuses another terminal's prefix, on the sale or on a code", async () => {
    const otherTill = await enrolTerminal(t.app, await t.pairingCode('demo-store'), 'Till 2');
    const theirs = await saleMaker(otherTill)();
    const mine = await makeSale();
    const withTheirPrefix = { ...theirs, terminalId: till.terminalId };
    const withTheirCode = { ...mine, lines: theirs.lines };
    const response = await pushOk([withTheirPrefix, withTheirCode]);
    expect(response.accepted).toEqual([]);
    expect(response.rejected[0]?.reason).toMatch(
      /carries terminal prefix .*, but this terminal's prefix is/,
    );
    expect(response.rejected[1]?.reason).toMatch(/was not issued by this terminal/);
    expect(await stored()).toEqual({ sales: [], codes: [] });
  });

  it('refuses a code that already belongs to another sale, and writes none of the second sale', async () => {
    const first = await makeSale();
    await pushOk([first]);
    const second = await makeSale([{ ...GIFT_25, quantity: 2 }]);
    const line = second.lines[0];
    const reused = first.lines[0]?.codes[0];
    if (!line || !reused) throw new Error('no line');
    const thief: Sale = { ...second, lines: [{ ...line, codes: [line.codes[0] ?? '', reused] }] };
    const response = await pushOk([thief]);
    expect(response.rejected[0]?.reason).toMatch(
      /already belongs to another sale; that sale keeps it/,
    );
    const { sales, codes } = await stored();
    expect(sales.map((row) => row.id)).toEqual([first.id]);
    expect(codes.map((row) => row.code)).toEqual([reused]);
  });

  it('refuses to delete a sale', async () => {
    const sale = await makeSale();
    await pushOk([sale]);
    expect(await pushOk([{ ...sale, _deleted: true }])).toEqual({
      accepted: [],
      rejected: [{ id: sale.id, reason: 'Sales cannot be deleted; record a void instead.' }],
    });
    expect((await stored()).sales).toHaveLength(1);
  });

  it("refuses a sale in a currency other than the store's", async () => {
    const sale = await makeSale();
    const response = await pushOk([{ ...sale, currency: 'USD' }]);
    expect(response.accepted).toEqual([]);
    expect(response.rejected[0]?.reason).toMatch(/is in USD, but this store sells in EUR/);
    expect((await stored()).sales).toHaveLength(0);
  });
});
