import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { entitlementOf } from '../test-support/entitlements.ts';
import { portalClient, squash } from '../test-support/portal.ts';
import {
  DEMO_GIFT_25,
  GALA_TICKET,
  PCR_VOUCHER,
  eventsOf,
  holderWorld,
  type HolderWorld,
} from './holder.test-support.ts';

let w: HolderWorld;
beforeEach(async () => {
  w = await holderWorld();
});
afterEach(async () => {
  await w.close();
});

const ADA = {
  fullName: 'Ada Lovelace',
  dateOfBirth: '1990-12-10',
  contact: 'ada@example.test',
};

describe('the per-code page and onboarding: refusals', () => {
  it('sends a signed-out visitor to sign in, and shows strangers the same page as an unknown code', async () => {
    const code = await w.sell(PCR_VOUCHER);
    const other = await w.sell(PCR_VOUCHER);
    const anonymous = await portalClient(w.t.app).get(`/account/codes/${code}`);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/signin');

    await w.claim(code, 'ana@example.test');
    const bo = await w.claim(other, 'bo@example.test');
    const notYours = await bo.get(`/account/codes/${code}`);
    const unknown = await bo.get(`/account/codes/${code.slice(0, -1)}X`);
    const malformed = await bo.get('/account/codes/nope');
    expect(notYours.statusCode).toBe(404);
    expect(squash(notYours.body)).toContain('This code is not on your account.');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toBe(notYours.body);
    expect(malformed.body).toBe(notYours.body);
    const stolen = await bo.post(`/account/codes/${code}/onboard`, ADA);
    expect(stolen.statusCode).toBe(404);
    expect((await entitlementOf(w.t.db, code)).state).toBe('claimed');
  });

  it('answers bad input with 400, every message, the values kept, and changes nothing', async () => {
    const code = await w.sell(PCR_VOUCHER);
    const phone = await w.claim(code, 'ana@example.test');
    await phone.get(`/account/codes/${code}`);
    const before = await eventsOf(w.t, code);
    const refused = await phone.post(`/account/codes/${code}/onboard`, {
      fullName: 'Ada <b>Lovelace</b>',
      dateOfBirth: '2090-01-01',
      contact: 'ada at example',
    });
    expect(refused.statusCode).toBe(400);
    const body = squash(refused.body);
    expect(body).toContain('2 fields need fixing');
    expect(body).toContain('Date of birth must be a date in the past.');
    expect(body).toContain('E-mail must be an e-mail address such as name@example.com.');
    expect(body).toContain('value="Ada &lt;b&gt;Lovelace&lt;/b&gt;"');
    expect(body).toContain(
      'aria-invalid="true" aria-describedby="field-dateOfBirth-hint field-dateOfBirth-error"',
    );
    expect(body).toContain('id="field-dateOfBirth-error"');
    expect(await entitlementOf(w.t.db, code)).toMatchObject({ state: 'claimed', onboarding: null });
    expect(await eventsOf(w.t, code)).toEqual(before);
    const jobs = await w.t.db.selectFrom('outbox').select('kind').execute();
    expect(jobs.map((job) => job.kind)).not.toContain('onboarding-confirmation');
  });

  it('refuses a form without the session CSRF token with 403', async () => {
    const code = await w.sell(PCR_VOUCHER);
    const phone = await w.claim(code, 'ana@example.test');
    await phone.get(`/account/codes/${code}`);
    const forged = await phone.post(`/account/codes/${code}/onboard`, ADA, {
      csrf: 'x'.repeat(43),
    });
    expect(forged.statusCode).toBe(403);
    expect((await entitlementOf(w.t.db, code)).state).toBe('claimed');
  });

  it('lets exactly one of two simultaneous submits onboard the code', async () => {
    const code = await w.sell(PCR_VOUCHER);
    const phone = await w.claim(code, 'ana@example.test');
    await phone.get(`/account/codes/${code}`);
    const answers = await Promise.all([
      phone.post(`/account/codes/${code}/onboard`, ADA),
      phone.post(`/account/codes/${code}/onboard`, { ...ADA, fullName: 'Someone Else' }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([303, 303]);
    const events = await eventsOf(w.t, code);
    expect(events.filter(([from]) => from === 'claimed')).toHaveLength(1);
    expect(events.filter(([, to]) => to === 'active')).toHaveLength(1);
    const stored = JSON.parse((await entitlementOf(w.t.db, code)).onboarding ?? '{}') as {
      fullName: string;
    };
    const winner = answers.findIndex(
      (answer) => answer.headers.location === `/account/codes/${code}/registered`,
    );
    expect(stored.fullName).toBe(winner === 0 ? 'Ada Lovelace' : 'Someone Else');
  });
});

describe('the per-code page and onboarding', () => {
  it('registers a voucher: claimed → onboarded → active, confirmation page and e-mail', async () => {
    const code = await w.sell(PCR_VOUCHER);
    const phone = await w.claim(code, 'ana@example.test');
    const shown = squash((await phone.get(`/account/codes/${code}`)).body);
    expect(shown).toContain('<h1>Diagnostic test voucher</h1>');
    expect(shown).toContain(formatCode(code));
    expect(shown).toContain('Entitle Demo Shop');
    expect(shown).toContain('data-state="claimed">Claimed');
    // 180 days from the sale (2026-11-26 10:00 UTC).
    expect(shown).toContain('Valid until 25 May 2027 at 10:00 UTC');
    expect(shown).toContain('<label for="field-fullName">Full name</label>');
    expect(shown).toMatch(/name="dateOfBirth" type="date" value="" maxlength="10"/);
    expect(shown).toMatch(/name="contact" type="email"/);

    w.t.clock.advance(60_000);
    const posted = await phone.post(`/account/codes/${code}/onboard`, ADA);
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/account/codes/${code}/registered`);
    const registered = squash((await phone.get(`/account/codes/${code}/registered`)).body);
    expect(registered).toContain('<h1>Registered — what happens next</h1>');
    expect(registered).toContain('It is active.');

    const account = await w.t.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', 'ana@example.test')
      .executeTakeFirstOrThrow();
    expect(await entitlementOf(w.t.db, code)).toMatchObject({
      state: 'active',
      onboarding: JSON.stringify(ADA),
      onboarded_at: '2026-11-26T10:01:00.000Z',
      activated_at: '2026-11-26T10:01:00.000Z',
    });
    expect(await eventsOf(w.t, code)).toEqual([
      ['issued', 'known', `terminal:${w.till.terminalId}`, 'sale synced'],
      ['known', 'claimed', `customer:${account.id}`, 'claimed by e-mailed magic link'],
      ['claimed', 'onboarded', `customer:${account.id}`, 'registered by the holder'],
      ['onboarded', 'active', 'system', 'nothing to fulfil'],
    ]);

    await w.t.outbox.runOnce();
    const mail = w.lastMailTo('ana@example.test');
    expect(mail?.subject).toBe('Registered: your Diagnostic test voucher');
    expect(mail?.text).toContain('It is active: you can use it now.');
    expect(mail?.text).toContain(`https://shop.example.test/account/codes/${code}`);

    const after = squash((await phone.get(`/account/codes/${code}`)).body);
    expect(after).toContain('data-state="active">Active');
    expect(after).toContain('<dd data-subject>Ada Lovelace</dd>');
    expect(after).not.toContain('name="fullName"');
    // A second submit after the fact changes nothing and shows the code.
    const again = await phone.post(`/account/codes/${code}/onboard`, ADA);
    expect(again.headers.location).toBe(`/account/codes/${code}`);
  });

  it('activates a gift card in the claim itself, one event per step, and shows its balance', async () => {
    const code = await w.sell(DEMO_GIFT_25);
    const phone = await w.claim(code, 'ana@example.test');
    expect((await entitlementOf(w.t.db, code)).state).toBe('active');
    expect(
      (await eventsOf(w.t, code)).map(([from, to, actor, reason]) => [from, to, actor, reason]),
    ).toEqual([
      ['issued', 'known', `terminal:${w.till.terminalId}`, 'sale synced'],
      ['known', 'claimed', expect.stringMatching(/^customer:/), 'claimed by e-mailed magic link'],
      ['claimed', 'onboarded', 'system', 'nothing to register'],
      ['onboarded', 'active', 'system', 'nothing to fulfil'],
    ]);
    const shown = squash((await phone.get(`/account/codes/${code}`)).body);
    expect(shown).toContain('<dd data-balance>€25.00</dd>');
    expect(shown).toContain('data-state="active">Active');
    expect(shown).not.toContain('<form method="post" action="/account/codes');
    await w.t.outbox.runOnce();
    expect(w.lastMailTo('ana@example.test')?.subject).toBe('Registered: your Gift card €25');
  });

  it('shows a ticket its event and date, and asks for the attendee', async () => {
    const code = await w.sell(GALA_TICKET);
    const phone = await w.claim(code, 'ana@example.test');
    const shown = squash((await phone.get(`/account/codes/${code}`)).body);
    expect(shown).toContain('<dd>Winter Gala</dd>');
    // The demo gala is 30 days after the seed (the test clock's start).
    expect(shown).toContain('<dd data-event-date>26 December 2026 at 19:30 UTC</dd>');
    expect(shown).toContain('Attendee name');
    const posted = await phone.post(`/account/codes/${code}/onboard`, { attendeeName: 'Ada' });
    expect(posted.headers.location).toBe(`/account/codes/${code}/registered`);
    expect(squash((await phone.get(posted.headers.location ?? '')).body)).toContain(
      'Show the code at the entrance of Winter Gala',
    );
  });
});
