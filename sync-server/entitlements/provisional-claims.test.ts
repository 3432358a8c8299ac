import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatCode, issueCode } from '../../shared/code/entitlement-code.ts';
import type { EnrolResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { findOrCreateAccount } from '../accounts/accounts.ts';
import { systemRandomBytes } from '../deps.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { codeKeyOf, enrolTerminal, pushSales, saleMaker } from '../test-support/sales.ts';
import {
  cancelProvisionalClaimsForVoidedSale,
  createProvisionalClaim,
  expireProvisionalClaims,
} from './provisional-claims.ts';
import { startProvisionalSweep } from './provisional-sweep.ts';

const DAY_MS = 86_400_000;
let t: TestApp;
let till: EnrolResponse;
let sale: Sale;
let code: string;
beforeEach(async () => {
  t = await createTestApp();
  till = await enrolTerminal(t.app, await t.pairingCode());
  sale = await saleMaker(till)();
  code = sale.lines[0]?.codes[0] ?? '';
});
afterEach(async () => {
  await t.close();
});

const deps = () => ({ clock: t.clock.now, randomBytes: systemRandomBytes });
const claimAs = (email: string, claimed = code) =>
  t.db.transaction().execute(async (trx) => {
    const account = await findOrCreateAccount(trx, email, deps());
    return createProvisionalClaim(trx, { code: claimed, accountId: account.id, days: 7 }, deps());
  });
const claimRow = () =>
  t.db.selectFrom('provisional_claims').selectAll().where('code', '=', code).executeTakeFirst();

describe('provisional claims: refusals', () => {
  it('refuses a code no terminal signs, a second account, and a lapsed claim', async () => {
    const stray = await issueCode({ prefix: 'ZZZZ', serial: 1, key: codeKeyOf(till) });
    expect(await claimAs('ana@example.test', stray)).toEqual({ kind: 'unavailable' });
    expect(await claimAs('ana@example.test')).toEqual({ kind: 'waiting' });
    expect(await claimAs('ana@example.test')).toEqual({ kind: 'already-yours' });
    expect(await claimAs('bo@example.test')).toEqual({ kind: 'unavailable' });
    t.clock.advance(7 * DAY_MS);
    await expireProvisionalClaims(t.db, t.clock.now, systemRandomBytes, t.masterKey);
    expect(await claimAs('ana@example.test')).toEqual({ kind: 'unavailable' });
  });

  it('leaves a claim alone until its deadline, and e-mails nothing', async () => {
    await claimAs('ana@example.test');
    t.clock.advance(7 * DAY_MS - 1);
    expect(
      await expireProvisionalClaims(t.db, t.clock.now, systemRandomBytes, t.masterKey),
    ).toEqual([]);
    await t.outbox.runOnce();
    expect(t.mail).toEqual([]);
    expect((await claimRow())?.state).toBe('waiting');
  });
});

describe('provisional claims: ending', () => {
  it('cancels a claim at its deadline once, e-mails why, and a late sale stays unclaimed', async () => {
    await claimAs('ana@example.test');
    t.clock.advance(7 * DAY_MS);
    expect(
      await expireProvisionalClaims(t.db, t.clock.now, systemRandomBytes, t.masterKey),
    ).toEqual([code]);
    expect(
      await expireProvisionalClaims(t.db, t.clock.now, systemRandomBytes, t.masterKey),
    ).toEqual([]);
    expect(await claimRow()).toMatchObject({
      state: 'cancelled',
      reason: "the shop's sale never arrived",
    });
    const page = await t.app.inject({ method: 'GET', url: `/redeem/${code}` });
    expect(page.body).toContain('An earlier claim on this code was cancelled');
    expect(page.body).not.toContain('Claim it now');
    expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
    await t.outbox.runOnce();
    expect(t.mail.map((mail) => [mail.to, mail.subject])).toEqual([
      ['ana@example.test', `Your claim on code ${formatCode(code)} was cancelled`],
    ]);
    expect(t.mail[0]?.text).toContain("the shop's sale never arrived");
    const row = await t.db
      .selectFrom('entitlements')
      .select(['state', 'holder_account_id'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'known', holder_account_id: null });
  });

  it('cancels waiting claims of a voided sale, for the void path to call', async () => {
    await claimAs('ana@example.test');
    const cancel = () =>
      t.db
        .transaction()
        .execute((trx) => cancelProvisionalClaimsForVoidedSale(trx, [code, 'OTHER'], deps()));
    expect(await cancel()).toEqual([code]);
    expect(await cancel()).toEqual([]);
    expect(await claimRow()).toMatchObject({
      state: 'cancelled',
      reason: 'the shop voided the sale',
    });
    await t.outbox.runOnce();
    expect(t.mail).toHaveLength(1);
    expect(t.mail[0]?.text).toContain('the shop voided the sale');
  });

  it('is swept on a timer until stopped', async () => {
    await claimAs('ana@example.test');
    t.clock.advance(8 * DAY_MS);
    const sweep = startProvisionalSweep({
      db: t.db,
      clock: t.clock.now,
      randomBytes: systemRandomBytes,
      masterKey: t.masterKey,
      logger: { error: (details) => expect.fail(JSON.stringify(details)) },
      intervalMs: 5,
    });
    await vi.waitFor(async () => {
      expect((await claimRow())?.state).toBe('cancelled');
    });
    await sweep.stop();
    await sweep.stop();
  });
});

describe('provisional claims: the sweep repairs a claim its sale slipped past', () => {
  const entitlementRow = () =>
    t.db
      .selectFrom('entitlements')
      .select(['state', 'holder_account_id'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();

  it('activates a waiting claim whose sale is already stored', async () => {
    expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
    await claimAs('ana@example.test'); // as if it committed alongside the sale, unseen
    expect(
      await expireProvisionalClaims(t.db, t.clock.now, systemRandomBytes, t.masterKey),
    ).toEqual([]);
    const ana = await t.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
    expect(await entitlementRow()).toEqual({ state: 'claimed', holder_account_id: ana.id });
    expect((await claimRow())?.state).toBe('activated');
    await t.outbox.runOnce();
    expect(t.mail.map((mail) => mail.subject)).toEqual([
      `Your code ${formatCode(code)} is confirmed`,
    ]);
  });

  it('cancels it, and says so, when the code was redeemed meanwhile', async () => {
    expect((await pushSales(t.app, till.token, [sale])).statusCode).toBe(200);
    await t.db
      .updateTable('entitlements')
      .set({ state: 'consumed' })
      .where('code', '=', code)
      .execute();
    await claimAs('ana@example.test');
    await expireProvisionalClaims(t.db, t.clock.now, systemRandomBytes, t.masterKey);
    expect(await claimRow()).toMatchObject({
      state: 'cancelled',
      reason: 'the code was redeemed or claimed before your claim was confirmed',
    });
    expect(await entitlementRow()).toEqual({ state: 'consumed', holder_account_id: null });
    await t.outbox.runOnce();
    expect(t.mail[0]?.text).toContain('redeemed or claimed before your claim was confirmed');
  });
});
