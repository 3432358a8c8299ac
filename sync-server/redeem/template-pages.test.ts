import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_GIFT_25,
  GALA_TICKET,
  PCR_VOUCHER,
  TEAM_LICENCE,
  eventsOf,
  holderWorld,
  type HolderWorld,
} from '../onboarding/holder.test-support.ts';
import { issueCode } from '../../shared/code/entitlement-code.ts';
import { systemRandomBytes } from '../deps.ts';
import { expireDueEntitlements } from '../entitlements/expiry.ts';
import { stateOf } from '../test-support/entitlements.ts';
import { portalClient, squash, type PortalClient } from '../test-support/portal.ts';
import { CANT_USE_MESSAGE } from './pages.ts';

let w: HolderWorld;
let browser: PortalClient;
beforeEach(async () => {
  w = await holderWorld();
  browser = portalClient(w.t.app);
  await browser.get('/redeem');
});
afterEach(async () => {
  await w.close();
});

const neutral = (body: string) => squash(body).replace(/value="[^"]*"/g, 'value=""');

describe('the public code page per template: refusals', () => {
  it.each([
    ['gift card', DEMO_GIFT_25],
    ['voucher', PCR_VOUCHER],
    ['ticket', GALA_TICKET],
    ['licence', TEAM_LICENCE],
  ])(
    'offers no anonymous Redeem now for a %s, and the route refuses with the page',
    async (_kind, line) => {
      const code = await w.sell(line);
      const page = squash((await browser.get(`/redeem/${code}`)).body);
      expect(page).not.toContain('Redeem now');
      expect(page).not.toContain(`action="/redeem/${code}/consume"`);
      const refused = await browser.post(`/redeem/${code}/consume`);
      expect(refused.statusCode).toBe(409);
      expect(squash(refused.body)).toContain('Send me a link');
      expect(await stateOf(w.t.db, code)).toBe('known');
      expect(await eventsOf(w.t, code)).toHaveLength(1);
    },
  );

  it('answers a code past its validity like an unknown code, before and after the sweep', async () => {
    const code = await w.sell(GALA_TICKET);
    const forged = await issueCode({
      prefix: w.till.terminalPrefix,
      serial: 999,
      key: new Uint8Array(32),
    });
    const unknown = await browser.get(`/redeem/${forged}`);
    // The gala is 30 days after the seed; its ticket is valid through that day.
    w.t.clock.advance(31 * 86_400_000);
    for (const answer of [
      await browser.get(`/redeem/${code}`),
      await browser.post(`/redeem/${code}/claim`, { email: 'ana@example.test' }),
      await browser.post(`/redeem/${code}/consume`),
    ]) {
      expect(answer.statusCode).toBe(404);
      expect(squash(answer.body)).toContain(CANT_USE_MESSAGE.replace("'", '&#39;'));
      expect(neutral(answer.body)).toBe(neutral(unknown.body));
    }
    expect(await w.t.db.selectFrom('login_tokens').selectAll().execute()).toEqual([]);
    expect(await stateOf(w.t.db, code)).toBe('known');
    await expireDueEntitlements(w.t.db, w.t.clock.now, systemRandomBytes);
    expect(await stateOf(w.t.db, code)).toBe('expired');
    const swept = await browser.get(`/redeem/${code}`);
    expect(swept.statusCode).toBe(404);
    expect(neutral(swept.body)).toBe(neutral(unknown.body));
  });
});

describe('the public code page per template', () => {
  it('says what each code is and what to do next', async () => {
    const pages = new Map<string, string>();
    for (const line of [DEMO_GIFT_25, PCR_VOUCHER, GALA_TICKET, TEAM_LICENCE]) {
      const code = await w.sell(line);
      pages.set(line.productId, squash((await browser.get(`/redeem/${code}`)).body));
    }
    expect(pages.get('prod-gift-25')).toContain(
      "A gift card with €25.00 on it. Spend it at Entitle Demo Shop's counter, in one go or in parts.",
    );
    expect(pages.get('prod-gift-25')).toContain('Valid until 26 November 2027 at 10:00 UTC');
    expect(pages.get('prod-pcr-test')).toContain(
      'Voucher for one person — you will register them.',
    );
    expect(pages.get('prod-pcr-test')).toContain('Claim it, then register the person');
    expect(pages.get('prod-winter-gala')).toContain(
      'Ticket for Winter Gala on 26 December 2026 at 19:30 UTC.',
    );
    expect(pages.get('prod-winter-gala')).toContain('Valid through 26 December 2026 (UTC)');
    expect(pages.get('prod-team-licence')).toContain('Licence with 25 seats.');
    expect(pages.get('prod-team-licence')).toContain('Claim it, then assign the seats');
  });

  it('points a claimed code to its page on the holder’s account', async () => {
    const code = await w.sell(PCR_VOUCHER);
    await w.claim(code, 'ana@example.test');
    const page = squash((await browser.get(`/redeem/${code}`)).body);
    expect(page).toContain(`<a href="/account/codes/${code}">open it on your account</a>`);
  });
});
