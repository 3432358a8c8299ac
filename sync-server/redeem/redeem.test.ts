import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode, issueCode } from '../../shared/code/entitlement-code.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { portalClient, squash, type PortalClient } from '../test-support/portal.ts';
import {
  codeKeyOf,
  enrolTerminal,
  pushSales,
  saleMaker,
  type LineInput,
} from '../test-support/sales.ts';
import { stateOf, latestSeq } from '../test-support/entitlements.ts';

let t: TestApp;
let till: EnrolResponse;
let makeSale: ReturnType<typeof saleMaker>;
let browser: PortalClient;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
  till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
  makeSale = saleMaker(till);
  browser = portalClient(t.app);
  // As a person does: open the portal first, which hands out the CSRF cookie and field.
  await browser.get('/redeem');
});
afterEach(async () => {
  await t.close();
});

/**
 * A product sold before templates existed: the only kind anyone may redeem on the spot (gift
 * cards, vouchers, tickets and licences are claimed and registered instead).
 */
const MUSEUM_ENTRY: LineInput = {
  productId: 'prod-before-templates',
  name: 'Museum entry',
  kind: 'voucher',
  unitPrice: 1200,
  quantity: 1,
};

/** A code whose sale is on the server. */
async function knownCode(name = MUSEUM_ENTRY.name, line = MUSEUM_ENTRY): Promise<string> {
  const sale = await makeSale([{ ...line, name }]);
  expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
  const code = sale.lines[0]?.codes[0];
  if (code === undefined) throw new Error('no code');
  return code;
}

function typo(code: string): string {
  const last = code.at(-1) === '0' ? '1' : '0';
  return code.slice(0, -1) + last;
}

const get = (url: string) => browser.get(url);
const post = (url: string, form?: Record<string, string>) => browser.post(url, form);

describe('redemption portal: refusals', () => {
  it('refuses a form without a matching CSRF pair with 403, and changes nothing', async () => {
    const code = await knownCode();
    const stranger = portalClient(t.app);
    const attempts = [
      await stranger.post(`/redeem/${code}/consume`, {}, { csrf: null }),
      await stranger.post(`/redeem/${code}/consume`, {}, { csrf: browser.csrf() }),
      await browser.post(`/redeem/${code}/consume`, {}, { csrf: null }),
      await browser.post(`/redeem/${code}/consume`, {}, { csrf: 'x'.repeat(43) }),
      await browser.post('/redeem', { code }, { csrf: null }),
    ];
    for (const response of attempts) {
      expect(response.statusCode).toBe(403);
      expect(squash(response.body)).toContain('Reload the page and try again.');
    }
    expect(await stateOf(t.db, code)).toBe('known');
    expect(
      await t.db
        .selectFrom('entitlement_events')
        .selectAll()
        .where('to_state', '=', 'consumed')
        .execute(),
    ).toEqual([]);
  });

  it('shows the typo message in an alert and keeps what was typed', async () => {
    const typed = formatCode(typo(await knownCode()));
    for (const response of [
      await post('/redeem', { code: typed }),
      await get(`/redeem/${typed}`),
    ]) {
      expect(response.statusCode).toBe(400);
      expect(squash(response.body)).toContain(`value="${typed}"`);
      expect(squash(response.body)).toMatch(
        /<p id="code-error" class="error" role="alert">\s*That code has a typo: one character is wrong or two are swapped\. Check it against the receipt\.\s*<\/p>/,
      );
    }
    const empty = await post('/redeem', { code: '' });
    expect(empty.statusCode).toBe(400);
    expect(squash(empty.body)).toContain('Type the code printed on your receipt.');
    const hostile = await post('/redeem', { code: '"><script>x</script>' });
    expect(squash(hostile.body)).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(squash(hostile.body)).not.toContain('<script>');
  });

  it('gives unknown, malformed, forged and expired codes one answer: 404, same words', async () => {
    const unknownPrefix = await issueCode({
      prefix: till.terminalPrefix === 'ZZZZ' ? 'YYYY' : 'ZZZZ',
      serial: 1,
      key: codeKeyOf(till),
    });
    const forged = await issueCode({
      prefix: till.terminalPrefix,
      serial: 1,
      key: new Uint8Array(32),
    });
    const expired = await knownCode();
    await t.db
      .updateTable('entitlements')
      .set({ state: 'expired' })
      .where('code', '=', expired)
      .execute();
    const malformed = [forged.slice(0, 20), `${forged}AB`, `${forged.slice(0, 23)}!`];
    const answers: string[] = [];
    for (const code of [unknownPrefix, forged, expired, ...malformed]) {
      const path = encodeURIComponent(code);
      for (const response of [
        await get(`/redeem/${path}`),
        await post(`/redeem/${path}/consume`),
        await post(`/redeem/${path}/claim`, { email: 'ana@example.test' }),
      ]) {
        expect(response.statusCode).toBe(404);
        expect(squash(response.body)).toContain(
          // The page escapes the apostrophe; a browser shows "can't".
          'We can&#39;t use this code. Check it against your receipt, or ask the shop that sold it.',
        );
        // Word for word the same page, apart from echoing what was typed.
        answers.push(squash(response.body).replace(/value="[^"]*"/g, 'value=""'));
      }
    }
    expect(new Set(answers).size).toBe(1);
    const typed = await post('/redeem', { code: malformed[0] ?? '' });
    expect(typed.statusCode).toBe(404);
    expect(squash(typed.body).replace(/value="[^"]*"/g, 'value=""')).toBe(answers[0]);
    expect(await t.db.selectFrom('login_tokens').selectAll().execute()).toEqual([]);
    expect(await stateOf(t.db, expired)).toBe('expired');
  });

  it.each(['memory', 'database'] as const)(
    'limits each code to 10 attempts in 10 minutes, from any browser, then says when (%s store)',
    async (limitStore) => {
      await t.close();
      t = await createTestApp({ demo: true, limitStore });
      till = await enrolTerminal(t.app, await t.pairingCode('demo-store'));
      makeSale = saleMaker(till);
      browser = portalClient(t.app);
      await browser.get('/redeem');
      const code = await knownCode();
      const other = await knownCode();
      for (let i = 0; i < 5; i++) expect((await get(`/redeem/${code}`)).statusCode).toBe(200);
      const elsewhere = portalClient(t.app);
      for (let i = 0; i < 5; i++) {
        expect((await elsewhere.get(`/redeem/${code}`)).statusCode).toBe(200);
      }
      t.clock.advance(60_000);
      const limited = await elsewhere.get(`/redeem/${code}`);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('540');
      expect(squash(limited.body)).toContain(
        'This code was tried too often. Try again in 9 minutes.',
      );
      expect((await post(`/redeem/${code}/consume`)).statusCode).toBe(429);
      expect((await get(`/redeem/${other}`)).statusCode).toBe(200);
      expect(await stateOf(t.db, code)).toBe('known');
      t.clock.advance(9 * 60_000);
      expect((await get(`/redeem/${code}`)).statusCode).toBe(200);
      // Shared rows only where every instance must see the counts; none in memory.
      const rows = await t.db.selectFrom('rate_limits').select('key').execute();
      expect(rows.some((row) => row.key === `code ${code}`)).toBe(limitStore === 'database');
      expect(rows.length > 0).toBe(limitStore === 'database');
    },
  );

  it('rate limits code checks per address', async () => {
    await t.close();
    t = await createTestApp({ demo: true, rateLimits: { portal: 2 } });
    browser = portalClient(t.app);
    const code = 'ABCD'.repeat(6);
    await get(`/redeem/${code}`);
    await get(`/redeem/${code}`);
    const limited = await get(`/redeem/${code}`);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect(squash(limited.body)).toMatch(/Too many attempts\. Wait .+ and try again\./);
  });
});

describe('redemption portal', () => {
  it('shows a labelled, phone-friendly form under a strict CSP', async () => {
    const response = await get('/redeem');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    const body = response.body;
    expect(squash(body)).toMatch(/^<!doctype html>\s*<html lang="en">/);
    expect(squash(body)).toContain('<title>Redeem a code · Entitle</title>');
    expect(squash(body)).toContain('<form method="post" action="/redeem">');
    expect(squash(body)).toContain('<label for="code">Code</label>');
    for (const attribute of [
      'id="code"',
      'name="code"',
      'autocomplete="off"',
      'autocapitalize="characters"',
      'inputmode="text"',
    ]) {
      expect(squash(body)).toContain(attribute);
    }
    expect(squash(body)).toContain('<button type="submit" class="primary">Check code</button>');
    const css = await get('/redeem/assets/portal.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(squash(css.body)).toContain('button.primary');
  });

  it('sends a typed code, however written, to its page', async () => {
    const code = await knownCode();
    const response = await post('/redeem', { code: ` ${formatCode(code).toLowerCase()} ` });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/redeem/${code}`);
  });

  it('says a genuine code whose sale has not arrived is genuine, and to try later', async () => {
    const sale = await makeSale();
    const code = sale.lines[0]?.codes[0] ?? '';
    const response = await get(`/redeem/${code}`);
    expect(response.statusCode).toBe(200);
    expect(squash(response.body)).toContain('Your code is genuine');
    expect(squash(response.body)).toMatch(/has not sent us its sale yet/);
    expect(squash(response.body)).toContain('Try again later to redeem it.');
    expect(squash(response.body)).toContain(`<form method="post" action="/redeem/${code}/claim">`);
    expect(squash(response.body)).toContain('Claim it now');
  });

  it('shows a known code, redeems it once, then says when it was redeemed', async () => {
    const code = await knownCode();
    const page = await get(`/redeem/${formatCode(code)}`);
    expect(page.statusCode).toBe(200);
    for (const text of [
      formatCode(code),
      'Museum entry',
      'Entitle Demo Shop',
      'Ready to redeem',
      `action="/redeem/${code}/consume"`,
      'Redeem now',
    ]) {
      expect(squash(page.body)).toContain(text);
    }
    // The till that sold it is told; another till of the store, which never pulls it, is not.
    const otherTill = await enrolTerminal(t.app, await t.pairingCode('demo-store'), 'Till 2');
    const notified = { seller: [] as string[], other: [] as string[] };
    t.notifier.subscribe('demo-store', (c) => notified.seller.push(...c), till.terminalId);
    t.notifier.subscribe('demo-store', (c) => notified.other.push(...c), otherTill.terminalId);
    t.clock.advance(5 * 60_000);

    const redeemed = await post(`/redeem/${code}/consume`);
    expect(redeemed.statusCode).toBe(200);
    expect(squash(redeemed.body)).toContain('<h1>Redeemed</h1>');
    expect(notified).toEqual({ seller: ['entitlements'], other: [] });
    const row = await t.db
      .selectFrom('entitlements')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: 'consumed',
      consumed_at: '2026-11-26T10:05:00.000Z',
      updated_at: '2026-11-26T10:05:00.000Z',
    });
    expect(row.seq).toBe(await latestSeq(t.db));
    const events = await t.db
      .selectFrom('entitlement_events')
      .select(['from_state', 'to_state', 'actor', 'reason', 'at'])
      .where('code', '=', code)
      .orderBy('at')
      .execute();
    expect(events).toEqual([
      {
        from_state: 'issued',
        to_state: 'known',
        actor: `terminal:${till.terminalId}`,
        reason: 'sale synced',
        at: '2026-11-26T10:00:00.000Z',
      },
      {
        from_state: 'known',
        to_state: 'consumed',
        actor: 'anonymous',
        reason: 'redeemed on the portal',
        at: '2026-11-26T10:05:00.000Z',
      },
    ]);

    t.clock.advance(60_000);
    const again = await post(`/redeem/${code}/consume`);
    expect(again.statusCode).toBe(409);
    expect(squash(again.body)).toContain(
      'This code was already redeemed on 26 November 2026 at 10:05 UTC.',
    );
    expect(notified).toEqual({ seller: ['entitlements'], other: [] });
    expect(squash((await get(`/redeem/${code}`)).body)).toContain(
      'already redeemed on 26 November 2026 at 10:05 UTC',
    );
  });

  it('lets exactly one of 10 simultaneous redemptions win (10: the per-code limit)', async () => {
    const code = await knownCode();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => post(`/redeem/${code}/consume`)),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(9);
  });

  it('says a voided code cannot be redeemed', async () => {
    const code = await knownCode();
    await t.db
      .updateTable('entitlements')
      .set({ state: 'voided' })
      .where('code', '=', code)
      .execute();
    expect(squash((await get(`/redeem/${code}`)).body)).toContain(
      'This code was voided by the shop',
    );
    const refused = await post(`/redeem/${code}/consume`);
    expect(refused.statusCode).toBe(409);
    expect(squash(refused.body)).toContain('Voided');
  });

  it('escapes what the shop typed (product names) on every page', async () => {
    const code = await knownCode('<script>alert(1)</script> & "friends"');
    const page = await get(`/redeem/${code}`);
    expect(squash(page.body)).not.toContain('<script>');
    expect(squash(page.body)).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;',
    );
    const redeemed = await post(`/redeem/${code}/consume`);
    expect(squash(redeemed.body)).not.toContain('<script>');
  });
});
