import { expect } from 'vitest';
import { EntitlementState } from '../../shared/schemas/entitlement.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { DEMO_STORE } from '../catalogue/demo-catalogue.ts';
import { createSmtpMailer } from '../mail/smtp-mailer.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { portalClient, squash, type PortalClient } from '../test-support/portal.ts';
import { enrolTerminal, pushSales, saleMaker, type LineInput } from '../test-support/sales.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp.ts';

/** Demo products as a till sells them (prices as in the demo catalogue). */
export const PCR_VOUCHER: LineInput = {
  productId: 'prod-pcr-test',
  name: 'Diagnostic test voucher',
  kind: 'voucher',
  unitPrice: 8900,
  quantity: 1,
};
export const FLU_VOUCHER: LineInput = {
  productId: 'prod-flu-vaccine',
  name: 'Flu vaccination voucher',
  kind: 'voucher',
  unitPrice: 3500,
  quantity: 1,
};
export const DEMO_GIFT_25: LineInput = {
  productId: 'prod-gift-25',
  name: 'Gift card €25',
  kind: 'gift_card',
  unitPrice: 2500,
  quantity: 1,
};
export const GALA_TICKET: LineInput = {
  productId: 'prod-winter-gala',
  name: 'Concert ticket — Winter Gala',
  kind: 'ticket',
  unitPrice: 4500,
  quantity: 1,
};
export const TEAM_LICENCE: LineInput = {
  productId: 'prod-team-licence',
  name: 'Design Suite team licence — 25 seats',
  kind: 'licence',
  unitPrice: 249900,
  quantity: 1,
};

/** A demo server with a real SMTP server, a till in the demo store, and a way to claim codes. */
export type HolderWorld = {
  readonly t: TestApp;
  readonly smtp: TestSmtpServer;
  readonly till: EnrolResponse;
  /** Sells and pushes one line; returns its first code. */
  sell(line: LineInput): Promise<string>;
  /** Sells one line offline: the sale is not pushed until `push` is called. */
  sellOffline(line: LineInput): Promise<{ code: string; push(): Promise<void> }>;
  /** A phone that claimed `code` for `email` through the e-mailed link, signed in. */
  claim(code: string, email: string): Promise<PortalClient>;
  /** The last e-mail that reached `to`. */
  lastMailTo(to: string): { subject: string; text: string } | undefined;
  close(): Promise<void>;
};

export async function holderWorld(): Promise<HolderWorld> {
  const smtp = await startTestSmtpServer();
  const t = await createTestApp({
    demo: true,
    publicUrl: 'https://shop.example.test',
    mailer: createSmtpMailer({ url: smtp.url, from: 'Test Shop <till@shop.example.test>' }),
  });
  const till = await enrolTerminal(t.app, await t.pairingCode(DEMO_STORE.id));
  const makeSale = saleMaker(till);
  const lastMailTo = (to: string) => {
    const mail = smtp.received.findLast((received) => received.to.includes(to));
    return mail && { subject: mail.parsed.subject ?? '', text: mail.parsed.text ?? '' };
  };
  return {
    t,
    smtp,
    till,
    lastMailTo,
    sell: async (line) => {
      const sale = await makeSale([line]);
      const pushed = await pushSales(t.app, till.token, [sale]);
      expect(pushed.json()).toMatchObject({ rejected: [] });
      return sale.lines[0]?.codes[0] ?? '';
    },
    sellOffline: async (line) => {
      const sale = await makeSale([line]);
      return {
        code: sale.lines[0]?.codes[0] ?? '',
        push: async () => {
          const pushed = await pushSales(t.app, till.token, [sale]);
          expect(pushed.json()).toMatchObject({ rejected: [] });
        },
      };
    },
    claim: async (code, email) => {
      const phone = portalClient(t.app);
      await phone.get(`/redeem/${code}`);
      const asked = await phone.post(`/redeem/${code}/claim`, { email });
      expect(squash(asked.body)).toContain('<h1>Check your inbox</h1>');
      await t.outbox.runOnce();
      const token = /\/auth\/link\/([A-Za-z0-9_-]{43})/.exec(lastMailTo(email)?.text ?? '')?.[1];
      if (token === undefined) throw new Error(`no claim link e-mailed to ${email}`);
      await phone.get(`/auth/link/${token}`);
      const used = await phone.post(`/auth/link/${token}`);
      expect(used.headers.location).toBe('/account');
      return phone;
    },
    close: async () => {
      await t.close();
      await smtp.close();
    },
  };
}

/**
 * The events of a code as [from, to, actor, reason], in lifecycle order: steps made in one
 * transaction share their instant under the frozen clock, so time alone cannot order them.
 */
export async function eventsOf(t: TestApp, code: string): Promise<string[][]> {
  const rows = await t.db
    .selectFrom('entitlement_events')
    .selectAll()
    .where('code', '=', code)
    .execute();
  const order = (state: string) => EntitlementState.options.indexOf(state as EntitlementState);
  return rows
    .sort((a, b) => a.at.localeCompare(b.at) || order(a.from_state) - order(b.from_state))
    .map((row) => [row.from_state, row.to_state, row.actor, row.reason]);
}
