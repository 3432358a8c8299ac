import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { API_PREFIX, type EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { claimedBy } from '../assign/signed-in-client.ts';
import { voidOf as demoVoidOf } from '../audit/facts.test-support.ts';
import { paidPartlyByCard } from '../refunds/test-support.ts';
import { entitlementOf, latestSeq, stateOf } from '../test-support/entitlements.ts';
import { createMailingTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import {
  enrolTerminal,
  errorOf,
  pushFacts,
  pushSales,
  saleMaker,
  syncHeaders,
  type LineInput,
} from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';

const ANA = 'ana@example.test';
const VOUCHERS: LineInput = {
  productId: 'prod-spa',
  name: 'Spa voucher',
  kind: 'voucher',
  unitPrice: 4950,
  quantity: 3,
};

let smtp: TestSmtpServer;
let t: TestApp;
let till: EnrolResponse;
let makeSale: ReturnType<typeof saleMaker>;
let sale: Sale;
let codes: string[];
beforeEach(async () => {
  smtp = await startTestSmtpServer();
  t = await createMailingTestApp(smtp);
  till = await enrolTerminal(t.app, await t.pairingCode());
  makeSale = saleMaker(till);
  sale = await makeSale([VOUCHERS]);
  codes = [...(sale.lines[0]?.codes ?? [])];
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

/** A void naming nobody: no staff is seeded here, and staff are staff-refs.test.ts's subject. */
const voidOf = (target: Sale, extra: Partial<SaleVoid> = {}): SaleVoid =>
  demoVoidOf(target, { staffId: null, approvedBy: null, ...extra });

function pushVoids(documents: readonly unknown[], token = till.token) {
  return pushFacts(t.app, token, 'voids', documents);
}

async function pushSale(target: Sale): Promise<void> {
  const response = await pushSales(t.app, till.token, [target]);
  expect(response.json()).toEqual({ accepted: [target.id], rejected: [] });
}
const voidRows = () => t.db.selectFrom('sale_voids').selectAll().execute();
const states = async () => Promise.all(codes.map((code) => stateOf(t.db, code)));
const mailTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));

describe('pushing voids: refusals', () => {
  it('refuses a terminal with an unknown token, and a request that is not a push', async () => {
    await pushSale(sale);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/voids/push`,
      headers: syncHeaders('not-a-token'),
      payload: { rows: [voidOf(sale)] },
    });
    expect(anonymous.statusCode).toBe(401);
    const malformed = await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/voids/push`,
      headers: syncHeaders(till.token),
      payload: { voids: [voidOf(sale)] },
    });
    expect(malformed.statusCode).toBe(400);
    expect(await voidRows()).toEqual([]);
  });

  it('rejects a void of the wrong shape by row, with the reason, and writes nothing', async () => {
    await pushSale(sale);
    const noReason = voidOf(sale, { reason: '  ' });
    const badReceipt = voidOf(sale, { receiptNumber: 'receipt 1' });
    const deleted = { ...voidOf(sale), _deleted: true };
    const response = await pushVoids([noReason, badReceipt, deleted, 'a string']);
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      accepted: string[];
      rejected: { id: string; reason: string }[];
    }>();
    expect(body.accepted).toEqual([]);
    expect(body.rejected.map((row) => row.id)).toEqual([
      noReason.id,
      badReceipt.id,
      deleted.id,
      '#3',
    ]);
    expect(body.rejected[0]?.reason).toContain('Say why the sale is voided.');
    expect(body.rejected[2]?.reason).toBe('Voids cannot be deleted; a voided sale stays voided.');
    expect(await voidRows()).toEqual([]);
    expect(await states()).toEqual(['known', 'known', 'known']);
  });

  it('refuses the whole push with 403 when a row names another store or terminal', async () => {
    await pushSale(sale);
    const good = voidOf(sale);
    const otherStore = await pushVoids([good, voidOf(sale, { storeId: 'store_elsewhere' })]);
    expect(otherStore.statusCode).toBe(403);
    expect(errorOf(otherStore).error).toBe('wrong_store');
    const otherTerminal = await pushVoids([good, voidOf(sale, { terminalId: 'term_other' })]);
    expect(otherTerminal.statusCode).toBe(403);
    expect(errorOf(otherTerminal).error).toBe('wrong_terminal');
    expect(await voidRows()).toEqual([]);
    expect(await states()).toEqual(['known', 'known', 'known']);
  });

  it('rejects a void of a sale made on another terminal, and voids nothing', async () => {
    await pushSale(sale);
    const till2 = await enrolTerminal(t.app, await t.pairingCode(), 'Till 2');
    const theirs = voidOf(sale, { terminalId: till2.terminalId });
    const response = await pushVoids([theirs], till2.token);
    expect(response.json()).toEqual({
      accepted: [],
      rejected: [
        {
          id: theirs.id,
          reason: `Receipt ${sale.receiptNumber} was sold on another terminal; only the terminal that made a sale can void it.`,
        },
      ],
    });
    expect(await voidRows()).toEqual([]);
    expect(await states()).toEqual(['known', 'known', 'known']);
    // Still refused, not a harmless no-op, once the selling terminal has voided the sale.
    await pushVoids([voidOf(sale)]);
    const late = voidOf(sale, { terminalId: till2.terminalId });
    expect((await pushVoids([late], till2.token)).json()).toMatchObject({
      accepted: [],
      rejected: [{ id: late.id }],
    });
  });

  it('rejects a void of a card sale: only a refund puts the money back on the card', async () => {
    const cardSale = await paidPartlyByCard(t.db, sale, till, 1000);
    await pushSale(cardSale);
    const attempt = voidOf(cardSale);
    expect((await pushVoids([attempt])).json()).toEqual({
      accepted: [],
      rejected: [
        {
          id: attempt.id,
          reason: expect.stringMatching(/was paid by card\. Use Refund/) as unknown,
        },
      ],
    });
    expect(await voidRows()).toEqual([]);
    expect(await states()).toEqual(['known', 'known', 'known']);
  });

  it('rejects a different copy of a void already stored; the first copy stands', async () => {
    await pushSale(sale);
    const first = voidOf(sale);
    await pushVoids([first]);
    const altered = { ...first, reason: 'Something else' };
    const response = await pushVoids([altered]);
    expect(response.json()).toMatchObject({ accepted: [], rejected: [{ id: first.id }] });
    expect((await voidRows())[0]?.reason).toBe('Customer changed their mind');
  });
});

describe('pushing voids', () => {
  it('voids every live code in one go, leaves a consumed code consumed, and notifies terminals', async () => {
    await pushSale(sale);
    await t.db
      .updateTable('entitlements')
      .set({ state: 'consumed', consumed_at: '2026-11-26T10:01:00.000Z' })
      .where('code', '=', codes[2]!)
      .execute();
    const notified: string[] = [];
    t.notifier.subscribe(till.storeId, (collections) => notified.push(...collections));
    const saleVoid = voidOf(sale);
    const response = await pushVoids([saleVoid]);
    expect(response.json()).toEqual({ accepted: [saleVoid.id], rejected: [] });
    expect(notified).toEqual(['entitlements']);
    expect(await states()).toEqual(['voided', 'voided', 'consumed']);
    const row = await entitlementOf(t.db, codes[0]!);
    expect(row.void_reason).toBe('Customer changed their mind');
    expect(row.seq).toBeLessThanOrEqual(await latestSeq(t.db));
    const events = await t.db
      .selectFrom('entitlement_events')
      .select(['code', 'from_state', 'actor', 'reason'])
      .where('to_state', '=', 'voided')
      .orderBy('code')
      .execute();
    expect(events).toEqual(
      [codes[0]!, codes[1]!].sort().map((code) => ({
        code,
        from_state: 'known',
        actor: `terminal:${till.terminalId}`,
        reason: 'Customer changed their mind',
      })),
    );
    const [stored] = await voidRows();
    expect(stored).toMatchObject({
      id: saleVoid.id,
      sale_id: sale.id,
      terminal_id: till.terminalId,
    });
  });

  it('accepts the same void again and changes nothing the second time', async () => {
    await pushSale(sale);
    const saleVoid = voidOf(sale);
    await pushVoids([saleVoid]);
    const seq = await latestSeq(t.db);
    const notified: string[] = [];
    t.notifier.subscribe(till.storeId, (collections) => notified.push(...collections));
    const again = await pushVoids([saleVoid]);
    expect(again.json()).toEqual({ accepted: [saleVoid.id], rejected: [] });
    expect(await latestSeq(t.db)).toBe(seq);
    expect(notified).toEqual([]);
    expect(await voidRows()).toHaveLength(1);
  });

  it('accepts a second, different void of a voided sale as a no-op; the first reason stands', async () => {
    await pushSale(sale);
    await pushVoids([voidOf(sale)]);
    const seq = await latestSeq(t.db);
    const second = voidOf(sale, { reason: 'Wrong product rung up' });
    const response = await pushVoids([second]);
    expect(response.json()).toEqual({ accepted: [second.id], rejected: [] });
    expect(await latestSeq(t.db)).toBe(seq);
    expect(await voidRows()).toHaveLength(1);
    expect((await entitlementOf(t.db, codes[0]!)).void_reason).toBe('Customer changed their mind');
  });

  it('e-mails the account holding a claimed code which code, which shop, why and what to do', async () => {
    await pushSale(sale);
    const ana = await claimedBy(t, smtp, codes[0]!, ANA);
    await pushVoids([voidOf(sale)]);
    await pushVoids([voidOf(sale, { reason: 'again' })]);
    await t.outbox.runOnce();
    const notices = mailTo(ANA).filter((mail) => mail.parsed.subject?.includes('voided'));
    expect(notices).toHaveLength(1);
    const notice = notices[0]!.parsed;
    expect(notice.subject).toBe(`Your code ${formatCode(codes[0]!)} was voided`);
    expect(notice.text).toContain('Test Shop voided the sale of Spa voucher');
    expect(notice.text).toContain('Customer changed their mind');
    expect(notice.text).toContain('ask Test Shop for a refund or a replacement code');
    // Nobody held the other codes: nobody else is written to.
    expect(smtp.received.filter((mail) => mail.parsed.subject?.includes('voided'))).toHaveLength(1);
    const account = squash((await ana.get('/account')).body);
    expect(account).toContain('<dt>Status</dt> <dd>Voided</dd>');
  });

  it('stores a void that arrives before its sale, and voids the sale the moment it arrives', async () => {
    const ana = await claimedBy(t, smtp, codes[0]!, ANA);
    expect((await t.db.selectFrom('provisional_claims').selectAll().execute())[0]?.state).toBe(
      'waiting',
    );
    const early = voidOf(sale);
    expect((await pushVoids([early])).json()).toEqual({ accepted: [early.id], rejected: [] });
    expect(await voidRows()).toHaveLength(1);
    await pushSale({ ...sale, buyerEmail: 'buyer@example.test' });
    expect(await states()).toEqual(['voided', 'voided', 'voided']);
    const claim = await t.db.selectFrom('provisional_claims').selectAll().executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ state: 'cancelled', reason: 'the shop voided the sale' });
    expect((await entitlementOf(t.db, codes[0]!)).holder_account_id).toBeNull();
    await t.outbox.runOnce();
    const cancelled = mailTo(ANA).find((mail) => mail.parsed.subject?.includes('cancelled'));
    expect(cancelled?.parsed.text).toContain('the shop voided the sale');
    // The buyer is not sent codes that never worked.
    expect(mailTo('buyer@example.test')).toEqual([]);
    expect(squash((await ana.get('/account')).body)).toContain('Claim cancelled');
  });

  it('does not send a pending gift of a voided sale', async () => {
    const gift = await makeSale([
      {
        ...VOUCHERS,
        quantity: 1,
        gift: { recipientEmail: 'friend@example.test', sendOn: '2026-12-03' },
      },
    ]);
    await pushSale(gift);
    await pushVoids([voidOf(gift)]);
    t.clock.set('2026-12-04T00:00:00.000Z');
    await t.outbox.runOnce();
    expect(mailTo('friend@example.test')).toEqual([]);
    const job = await t.db
      .selectFrom('outbox')
      .select('state')
      .where('kind', '=', 'gift-email')
      .executeTakeFirstOrThrow();
    expect(job.state).toBe('sent');
    expect((await entitlementOf(t.db, gift.lines[0]!.codes[0]!)).given_at).toBeNull();
  });
});
