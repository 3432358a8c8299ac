/**
 * One server with something behind every route, for the fuzzers: the demo catalogue, a till and
 * a synced sale in the demo store, a till of another store, a card payment on a fake Stripe, a
 * signed-in manager and admin on the dashboard, a customer signed in to the portal holding a
 * claimed code, and an anonymous visitor of the portal (cookie + CSRF field).
 */
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { extendChain } from '../../sync-server/audit/audit-chain.test-support.ts';
import { voidOf } from '../../sync-server/audit/facts.test-support.ts';
import { DEMO_STORE } from '../../sync-server/catalogue/demo-catalogue.ts';
import { signedInAs, type DashboardBrowser } from '../../sync-server/dashboard/test-kit.ts';
import { createStripeGateway } from '../../sync-server/payments/stripe-gateway.ts';
import { refundOf } from '../../sync-server/refunds/test-support.ts';
import { createTestApp, type TestApp } from '../../sync-server/test-support/harness.ts';
import { portalClient, type PortalClient } from '../../sync-server/test-support/portal.ts';
import {
  GIFT_25,
  enrolTerminal,
  pushSales,
  saleMaker,
  syncHeaders,
} from '../../sync-server/test-support/sales.ts';
import { startFakeStripe, type FakeStripe } from '../fake-stripe/fake-stripe.ts';
import { freePort } from '../support/free-port.ts';
import { PCR_VOUCHER, TEAM_LICENCE } from '../../sync-server/onboarding/holder.test-support.ts';

/** A browser on the portal: its cookie header and the CSRF field its forms carry. */
export type PortalVisitor = { readonly cookie: string; readonly csrf: string };

export type World = {
  readonly t: TestApp;
  readonly till: EnrolResponse;
  /** A till of another store on the same server: its ids and codes must never work for `till`. */
  readonly stranger: EnrolResponse;
  /** Synced: a gift card, a voucher and a licence. */
  readonly sale: Sale;
  /** Synced from the other store. */
  readonly strangerSale: Sale;
  /** Valid, never pushed (the fuzzers mutate it). */
  readonly freshSale: Sale;
  readonly audit: readonly AuditEvent[];
  readonly codes: { readonly gift: string; readonly voucher: string; readonly licence: string };
  readonly strangerCode: string;
  /** A card payment the till started (pi_…). */
  readonly intentId: string;
  /** An unused pairing code of the demo store. */
  readonly pairingCode: string;
  /** The only port the print relay may reach; nothing listens on it. */
  readonly printerPort: number;
  readonly manager: DashboardBrowser;
  readonly admin: DashboardBrowser;
  /** Signed in to the portal; holds `codes.voucher` and `codes.licence`. */
  readonly customer: PortalVisitor;
  readonly visitor: PortalVisitor;
  /** Every staff member, of both stores, tills and dashboard alike. */
  readonly staffIds: readonly string[];
  /** Every id the world knows, valid somewhere: to put where it does not belong. */
  readonly ids: readonly string[];
  close(): Promise<void>;
};

const HOLDER = 'holder@example.test';

function visitorOf(client: PortalClient): PortalVisitor {
  return {
    cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    csrf: client.csrf(),
  };
}

async function claimed(t: TestApp, codes: readonly string[], email: string): Promise<PortalClient> {
  const phone = portalClient(t.app);
  for (const code of codes) {
    await phone.get(`/redeem/${code}`);
    await phone.post(`/redeem/${code}/claim`, { email });
    await t.outbox.runOnce();
    const text = t.mail.findLast((mail) => mail.to === email)?.text ?? '';
    const token = /\/auth\/link\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
    if (token === undefined) throw new Error(`No claim link reached ${email}.`);
    await phone.get(`/auth/link/${token}`);
    const used = await phone.post(`/auth/link/${token}`);
    if (used.statusCode !== 303) throw new Error(`The claim link was refused: ${used.body}`);
  }
  await phone.get('/account');
  return phone;
}

export async function fuzzWorld(): Promise<World> {
  const stripe: FakeStripe = await startFakeStripe();
  const printerPort = await freePort();
  const { gateway } = createStripeGateway({ secretKey: 'sk_test_fuzz', apiBase: stripe.url });
  const t = await createTestApp({
    demo: true,
    payments: gateway,
    // Fuzzing sends hundreds of requests a minute from one address: rate limits are tested apart.
    rateLimits: { enrol: 100_000, portal: 100_000 },
    // Nothing listens there: an accepted print job meets a closed port, never a real printer.
    printerPorts: [printerPort],
  });
  const till = await enrolTerminal(t.app, await t.pairingCode(DEMO_STORE.id));
  const other = await t.addStore('Other Shop');
  const stranger = await enrolTerminal(t.app, await t.pairingCode(other.id), 'Their till');
  const makeSale = saleMaker(till);
  const sale = await makeSale([GIFT_25, PCR_VOUCHER, TEAM_LICENCE], {
    buyerEmail: 'buyer@example.test',
  });
  const strangerSale = await saleMaker(stranger)([GIFT_25]);
  for (const [token, body] of [
    [till.token, sale],
    [stranger.token, strangerSale],
  ] as const) {
    const pushed = await pushSales(t.app, token, [body]);
    if (pushed.statusCode !== 200 || pushed.json<{ rejected: unknown[] }>().rejected.length > 0) {
      throw new Error(`The world's sale was refused: ${pushed.body}`);
    }
  }
  const freshSale = await makeSale([GIFT_25, PCR_VOUCHER]);
  const [gift = '', voucher = '', licence = ''] = sale.lines.map((line) => line.codes[0] ?? '');
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/payments/intents',
    headers: syncHeaders(till.token),
    payload: { saleId: freshSale.id, amount: 1000, attempt: 1 },
  });
  const intentId = created.json<{ id: string }>().id;
  const manager = await signedInAs(t, 'manager', { storeId: DEMO_STORE.id });
  const admin = await signedInAs(t, 'admin');
  const customer = visitorOf(await claimed(t, [voucher, licence], HOLDER));
  const anonymous = portalClient(t.app);
  await anonymous.get('/redeem');
  const staff = await t.db.selectFrom('staff').select('id').execute();
  const products = await t.db.selectFrom('products').select('id').execute();
  const ids = [
    ...staff.map((row) => row.id),
    ...products.map((row) => row.id),
    till.terminalId,
    stranger.terminalId,
    other.id,
    DEMO_STORE.id,
    sale.id,
    strangerSale.id,
    intentId,
    gift,
    voucher,
    licence,
    strangerSale.lines[0]?.codes[0] ?? '',
    sale.lines[0]?.lineId ?? '',
  ];
  return {
    t,
    till,
    stranger,
    sale,
    strangerSale,
    freshSale,
    audit: await extendChain(till, [], 2),
    codes: { gift, voucher, licence },
    strangerCode: strangerSale.lines[0]?.codes[0] ?? '',
    intentId,
    pairingCode: await t.pairingCode(DEMO_STORE.id),
    printerPort,
    manager,
    admin,
    customer,
    visitor: visitorOf(anonymous),
    ids,
    staffIds: staff.map((row) => row.id),
    close: async () => {
      await t.close();
      await stripe.close();
    },
  };
}

/** The world's customer signed in again on another phone (through /signin): a session of its own. */
export async function freshCustomer(w: World): Promise<PortalVisitor> {
  const phone = portalClient(w.t.app);
  await phone.get('/signin');
  await phone.post('/signin', { email: HOLDER });
  await w.t.outbox.runOnce();
  const text = w.t.mail.findLast((mail) => mail.to === HOLDER)?.text ?? '';
  const token = /\/auth\/link\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  if (token === undefined) throw new Error(`No sign-in link reached ${HOLDER}.`);
  await phone.get(`/auth/link/${token}`);
  const used = await phone.post(`/auth/link/${token}`);
  if (used.statusCode !== 303) throw new Error(`The sign-in link was refused: ${used.body}`);
  await phone.get('/account');
  return visitorOf(phone);
}

/** A browser that opened the dashboard's sign-in page: its cookie and the form's CSRF field. */
export async function dashboardVisitor(w: World): Promise<PortalVisitor> {
  const browser = portalClient(w.t.app);
  await browser.get('/dashboard/signin');
  return visitorOf(browser);
}

/** A void and a refund of the world's sale, valid as the counter writes them. */
export function reversalsOf(w: World) {
  return { void: voidOf(w.sale), refund: refundOf(w.sale, [0]) };
}
