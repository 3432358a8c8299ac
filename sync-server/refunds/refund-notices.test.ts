import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { claimedBy } from '../assign/signed-in-client.ts';
import { entitlementOf, stateOf } from '../test-support/entitlements.ts';
import { createMailingTestApp, type TestApp } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { enrolTerminal, pushSales, saleMaker, type LineInput } from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';
import { pushRefunds, refundOf } from './test-support.ts';

const ANA = 'ana@example.test';
const BEN = 'ben@example.test';
const VOUCHER: LineInput = {
  productId: 'prod-spa',
  name: 'Spa voucher',
  kind: 'voucher',
  unitPrice: 4950,
  quantity: 1,
};
const MASSAGE: LineInput = { ...VOUCHER, productId: 'prod-massage', name: 'Massage voucher' };

let smtp: TestSmtpServer;
let t: TestApp;
let till: EnrolResponse;
let sale: Sale;
beforeEach(async () => {
  smtp = await startTestSmtpServer();
  t = await createMailingTestApp(smtp);
  till = await enrolTerminal(t.app, await t.pairingCode());
  sale = await saleMaker(till)([VOUCHER, MASSAGE]);
});
afterEach(async () => {
  await t.close();
  await smtp.close();
});

const spaCode = () => sale.lines[0]!.codes[0]!;
const massageCode = () => sale.lines[1]!.codes[0]!;
const mailTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));

describe('what the holders of refunded codes are told', () => {
  it('e-mails the holder of a refunded code, and nobody holding a line that was not refunded', async () => {
    await pushSales(t.app, till.token, [sale]);
    const ana = await claimedBy(t, smtp, spaCode(), ANA);
    await claimedBy(t, smtp, massageCode(), BEN);
    const refund = refundOf(sale, [0], { reason: 'The spa closed for renovation' });
    expect((await pushRefunds(t.app, till.token, [refund])).json()).toEqual({
      accepted: [refund.id],
      rejected: [],
    });
    await t.outbox.runOnce();
    const notices = mailTo(ANA).filter((mail) => mail.parsed.subject?.includes('voided'));
    expect(notices.map((mail) => mail.parsed.subject)).toEqual([
      `Your code ${formatCode(spaCode())} was voided`,
    ]);
    expect(notices[0]?.parsed.text).toContain('Refunded: The spa closed for renovation');
    expect(mailTo(BEN).filter((mail) => mail.parsed.subject?.includes('voided'))).toEqual([]);
    expect(await stateOf(t.db, massageCode())).not.toBe('voided');
    expect(squash((await ana.get('/account')).body)).toContain('<dt>Status</dt> <dd>Voided</dd>');
  });

  it('cancels a provisional claim of a refunded code when the sale arrives after its refund', async () => {
    await claimedBy(t, smtp, spaCode(), ANA);
    const early = refundOf(sale, [0], { takenOffline: true });
    expect((await pushRefunds(t.app, till.token, [early])).json()).toEqual({
      accepted: [early.id],
      rejected: [],
    });
    await pushSales(t.app, till.token, [sale]);
    expect(await stateOf(t.db, spaCode())).toBe('voided');
    const claim = await t.db.selectFrom('provisional_claims').selectAll().executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ state: 'cancelled', reason: 'the shop voided the sale' });
    expect((await entitlementOf(t.db, spaCode())).holder_account_id).toBeNull();
    await t.outbox.runOnce();
    expect(mailTo(ANA).some((mail) => mail.parsed.subject?.includes('cancelled'))).toBe(true);
  });
});
