import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import {
  DEMO_GIFT_25,
  PCR_VOUCHER,
  eventsOf,
  holderWorld,
  type HolderWorld,
} from '../onboarding/holder.test-support.ts';
import { entitlementOf, stateOf } from '../test-support/entitlements.ts';
import { enrolTerminal, errorOf, syncHeaders } from '../test-support/sales.ts';

let w: HolderWorld;
beforeEach(async () => {
  w = await holderWorld();
});
afterEach(async () => {
  await w.close();
});

const consume = (code: string, token = w.till.token) =>
  w.t.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/entitlements/${code}/consume`,
    headers: syncHeaders(token),
  });

/** A voucher claimed and registered by its holder: active. */
async function activeVoucher(): Promise<string> {
  const code = await w.sell(PCR_VOUCHER);
  const phone = await w.claim(code, 'ana@example.test');
  await phone.get(`/account/codes/${code}`);
  await phone.post(`/account/codes/${code}/onboard`, {
    fullName: 'Ada Lovelace',
    dateOfBirth: '1990-12-10',
    contact: 'ada@example.test',
  });
  expect(await stateOf(w.t.db, code)).toBe('active');
  return code;
}

const consumedEvents = async (code: string) =>
  (await eventsOf(w.t, code)).filter(([, to]) => to === 'consumed');

describe('staff consume: refusals', () => {
  it('refuses a call without a terminal token, and a code of another store alike unknown', async () => {
    const code = await activeVoucher();
    const anonymous = await w.t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/entitlements/${code}/consume`,
    });
    expect(anonymous.statusCode).toBe(426);
    const other = await w.t.addStore('Other Shop');
    const stranger = await enrolTerminal(w.t.app, await w.t.pairingCode(other.id), 'Their till');
    const foreign = await consume(code, stranger.token);
    expect(foreign.statusCode).toBe(404);
    expect(errorOf(foreign).error).toBe('entitlement_not_found');
    expect((await consume('nope')).statusCode).toBe(400);
    expect(await stateOf(w.t.db, code)).toBe('active');
  });

  it('refuses a code not yet registered, a gift card and an expired code, saying what to do', async () => {
    const known = await w.sell(PCR_VOUCHER);
    const notActive = await consume(known);
    expect(notActive.statusCode).toBe(409);
    expect(errorOf(notActive)).toEqual({
      error: 'not_active',
      message:
        "This code is not active yet (Ready to redeem): the customer must claim it and register who it is for on the code's page first.",
    });
    const card = await w.sell(DEMO_GIFT_25);
    expect(errorOf(await consume(card)).error).toBe('gift_card');
    const active = await activeVoucher();
    w.t.clock.advance(181 * 86_400_000);
    expect(errorOf(await consume(active)).error).toBe('expired');
    expect(await consumedEvents(active)).toEqual([]);
  });
});

describe('staff consume', () => {
  it('marks an active voucher used once, tells the till that sold it, and says when on a second call', async () => {
    const code = await activeVoucher();
    // Used at another till of the store: the till that sold it pulls its status and is told;
    // the till asking has its answer in the response.
    const door = await enrolTerminal(w.t.app, await w.t.pairingCode('demo-store'), 'Door');
    const notified = { seller: [] as string[], door: [] as string[] };
    w.t.notifier.subscribe('demo-store', (c) => notified.seller.push(...c), w.till.terminalId);
    w.t.notifier.subscribe('demo-store', (c) => notified.door.push(...c), door.terminalId);
    w.t.clock.advance(5 * 60_000);
    const used = await consume(code, door.token);
    expect(used.statusCode).toBe(200);
    expect(used.json()).toEqual({
      code,
      state: 'consumed',
      consumedAt: '2026-11-26T10:05:00.000Z',
    });
    expect(notified).toEqual({ seller: ['entitlements'], door: [] });
    expect(await entitlementOf(w.t.db, code)).toMatchObject({
      state: 'consumed',
      consumed_at: '2026-11-26T10:05:00.000Z',
    });
    expect(await consumedEvents(code)).toEqual([
      ['active', 'consumed', `terminal:${door.terminalId}`, 'used at the counter'],
    ]);
    const again = await consume(code);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again)).toEqual({
      error: 'already_used',
      message:
        'This code was already used on 26 November 2026 at 10:05 UTC. Do not accept it again.',
    });
  });

  it('lets exactly one of 50 simultaneous consume requests win, with one event', async () => {
    const code = await activeVoucher();
    const answers = await Promise.all(Array.from({ length: 50 }, () => consume(code)));
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    expect(
      new Set(answers.filter((a) => a.statusCode === 409).map((a) => errorOf(a).error)),
    ).toEqual(new Set(['already_used']));
    expect(await consumedEvents(code)).toHaveLength(1);
  });
});
