import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIRMED_REASON } from '../entitlements/provisional-claims.ts';
import { entitlementOf } from '../test-support/entitlements.ts';
import { squash } from '../test-support/portal.ts';
import {
  FLU_VOUCHER,
  PCR_VOUCHER,
  TEAM_LICENCE,
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

const ADA = { fullName: 'Ada Lovelace', dateOfBirth: '1990-12-10', contact: 'ada@example.test' };
const claimRow = (code: string) =>
  w.t.db
    .selectFrom('provisional_claims')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirstOrThrow();

describe('onboarding before the sale arrives: refusals', () => {
  it('answers bad input with 400 and the form, and stores nothing', async () => {
    const sold = await w.sellOffline(PCR_VOUCHER);
    const phone = await w.claim(sold.code, 'ana@example.test');
    await phone.get(`/account/codes/${sold.code}?product=prod-pcr-test`);
    const refused = await phone.post(`/account/codes/${sold.code}/onboard`, {
      product: 'prod-pcr-test',
      fullName: '',
      dateOfBirth: '1990-12-10',
      contact: 'ada@example.test',
    });
    expect(refused.statusCode).toBe(400);
    expect(squash(refused.body)).toContain('Full name is required.');
    expect(squash(refused.body)).toContain('value="1990-12-10"');
    expect(await claimRow(sold.code)).toMatchObject({ onboarding: null, onboarded_at: null });
  });

  it('ignores values for another product: the code stays claimed and asks again', async () => {
    const sold = await w.sellOffline(PCR_VOUCHER);
    const phone = await w.claim(sold.code, 'ana@example.test');
    await phone.get(`/account/codes/${sold.code}?product=prod-flu-vaccine`);
    await phone.post(`/account/codes/${sold.code}/onboard`, {
      product: FLU_VOUCHER.productId,
      ...ADA,
    });
    await sold.push();
    expect((await entitlementOf(w.t.db, sold.code)).state).toBe('claimed');
    const page = squash((await phone.get(`/account/codes/${sold.code}`)).body);
    expect(page).toContain('<h2>Register</h2>');
  });
});

describe('onboarding before the sale arrives', () => {
  it('keeps the values, and activates the code by itself when the sale arrives', async () => {
    const sold = await w.sellOffline(PCR_VOUCHER);
    const phone = await w.claim(sold.code, 'ana@example.test');
    const account = squash((await phone.get('/account')).body);
    expect(account).toContain(`<a href="/account/codes/${sold.code}">`);

    const choose = squash((await phone.get(`/account/codes/${sold.code}`)).body);
    expect(choose).toContain('Claimed — waiting for the shop&#39;s sale to arrive');
    expect(choose).toContain('<option value="prod-pcr-test">Diagnostic test voucher</option>');
    expect(choose).not.toContain('Gift card');
    const form = squash(
      (await phone.get(`/account/codes/${sold.code}?product=prod-pcr-test`)).body,
    );
    expect(form).toContain('name="product" value="prod-pcr-test"');
    expect(form).toContain('<label for="field-fullName">Full name</label>');

    const posted = await phone.post(`/account/codes/${sold.code}/onboard`, {
      product: 'prod-pcr-test',
      ...ADA,
    });
    expect(posted.headers.location).toBe(`/account/codes/${sold.code}/registered`);
    expect(squash((await phone.get(posted.headers.location ?? '')).body)).toContain(
      'the code becomes active by itself',
    );
    expect(JSON.parse((await claimRow(sold.code)).onboarding ?? 'null')).toEqual({
      productId: 'prod-pcr-test',
      values: ADA,
      seats: null,
    });

    w.t.clock.advance(3_600_000);
    await sold.push();
    expect(await entitlementOf(w.t.db, sold.code)).toMatchObject({
      state: 'active',
      onboarding: JSON.stringify(ADA),
    });
    expect(
      (await eventsOf(w.t, sold.code)).map(([from, to, actor, reason]) => [
        from,
        to,
        actor,
        reason,
      ]),
    ).toEqual([
      ['issued', 'known', `terminal:${w.till.terminalId}`, 'sale synced'],
      ['known', 'claimed', 'system', CONFIRMED_REASON],
      ['claimed', 'onboarded', 'system', 'registered before the sale arrived'],
      ['onboarded', 'active', 'system', 'nothing to fulfil'],
    ]);
    await w.t.outbox.runOnce();
    const subjects = w.smtp.received
      .filter((mail) => mail.to.includes('ana@example.test'))
      .map((mail) => mail.parsed.subject);
    expect(subjects).toContain('Registered: your Diagnostic test voucher');
    const page = squash((await phone.get(`/account/codes/${sold.code}`)).body);
    expect(page).toContain('data-state="active">Active');
  });

  it('assigns the seats of a licence before the sale, and issues the signed file when it arrives', async () => {
    const sold = await w.sellOffline(TEAM_LICENCE);
    const phone = await w.claim(sold.code, 'ana@example.test');
    const form = squash(
      (await phone.get(`/account/codes/${sold.code}?product=${TEAM_LICENCE.productId}`)).body,
    );
    expect(form).toContain('<label for="seats">Seat holders</label>');
    const posted = await phone.post(`/account/codes/${sold.code}/onboard`, {
      product: TEAM_LICENCE.productId,
      seats: 'ada@example.test\nbo@example.test',
    });
    expect(posted.headers.location).toBe(`/account/codes/${sold.code}/registered`);
    expect(await w.t.db.selectFrom('licence_files').selectAll().execute()).toEqual([]);

    await sold.push();
    expect((await entitlementOf(w.t.db, sold.code)).state).toBe('active');
    const [file] = await w.t.db.selectFrom('licence_files').selectAll().execute();
    expect(JSON.parse(file?.body ?? '{}')).toMatchObject({
      code: sold.code,
      seats: [
        { seat: 1, email: 'ada@example.test' },
        { seat: 2, email: 'bo@example.test' },
      ],
    });
    await w.t.outbox.runOnce();
    expect(w.lastMailTo('bo@example.test')?.subject).toBe(
      'You have a seat of Design Suite team licence — 25 seats',
    );
  });
});
