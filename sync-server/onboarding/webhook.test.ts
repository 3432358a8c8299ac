import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemRandomBytes } from '../deps.ts';
import type { MailMessage } from '../mail/mailer.ts';
import { createAppOutbox } from '../outbox/app-outbox.ts';
import { SIGNATURE_HEADER, signWebhookBody, webhookSecret } from '../outbox/fulfilment-webhook.ts';
import { entitlementOf } from '../test-support/entitlements.ts';
import { silentLogger } from '../test-support/harness.ts';
import { squash } from '../test-support/portal.ts';
import { setProductTemplate } from '../templates/templates.ts';
import { FLU_VOUCHER, eventsOf, holderWorld, type HolderWorld } from './holder.test-support.ts';

const HOOK = 'https://clinic.example.test/entitle/fulfil';
const ADA = { fullName: 'Ada Lovelace', dateOfBirth: '1990-12-10', contact: 'ada@example.test' };

type Call = { url: string; headers: Record<string, string>; body: string };

let w: HolderWorld;
let calls: Call[];
let answers: number[];
const masterKey = systemRandomBytes(32);
const fakeFetch: typeof fetch = (input, init) => {
  calls.push({
    url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    headers: init?.headers as Record<string, string>,
    body: typeof init?.body === 'string' ? init.body : '',
  });
  return Promise.resolve(new Response(null, { status: answers.shift() ?? 200 }));
};

beforeEach(async () => {
  w = await holderWorld();
  calls = [];
  answers = [];
  await setProductTemplate(
    w.t.db,
    FLU_VOUCHER.productId,
    { kind: 'voucher', validity: null, fulfilment: { action: 'webhook', url: HOOK } },
    w.t.clock.now,
  );
});
afterEach(async () => {
  await w.close();
});

/** An outbox like the app's, with the fake fetch and a key the test knows. */
function webhookOutbox() {
  const sent: MailMessage[] = [];
  return createAppOutbox({
    db: w.t.db,
    clock: w.t.clock.now,
    randomBytes: systemRandomBytes,
    masterKey,
    mailer: { send: (message) => Promise.resolve(void sent.push(message)) },
    publicUrl: () => 'https://shop.example.test',
    logger: silentLogger,
    fetch: fakeFetch,
    notifier: w.t.notifier,
  });
}

describe('fulfilment by webhook', () => {
  it('keeps the code onboarded until the webhook answers 2xx, retrying; then activates it', async () => {
    const code = await w.sell(FLU_VOUCHER);
    const phone = await w.claim(code, 'ana@example.test');
    await phone.get(`/account/codes/${code}`);
    const posted = await phone.post(`/account/codes/${code}/onboard`, ADA);
    expect(posted.headers.location).toBe(`/account/codes/${code}/registered`);
    expect((await entitlementOf(w.t.db, code)).state).toBe('onboarded');
    expect(squash((await phone.get(`/account/codes/${code}/registered`)).body)).toContain(
      'is activating it now',
    );

    const outbox = webhookOutbox();
    answers = [500];
    await outbox.runOnce();
    expect(calls).toHaveLength(1);
    expect((await entitlementOf(w.t.db, code)).state).toBe('onboarded');

    const notified: string[] = [];
    w.t.notifier.subscribe('demo-store', (collections) => notified.push(...collections));
    w.t.clock.advance(3_600_000);
    await outbox.runOnce();
    expect(calls).toHaveLength(2);
    expect(notified).toEqual(['entitlements']);
    const call = calls[1];
    expect(call?.url).toBe(HOOK);
    expect(JSON.parse(call?.body ?? '')).toEqual({
      code,
      product: { id: FLU_VOUCHER.productId, name: FLU_VOUCHER.name },
      values: ADA,
    });
    expect(call?.headers[SIGNATURE_HEADER]).toBe(
      signWebhookBody(webhookSecret(masterKey), call?.body ?? ''),
    );
    expect((await entitlementOf(w.t.db, code)).state).toBe('active');
    expect((await eventsOf(w.t, code)).at(-1)).toEqual([
      'onboarded',
      'active',
      'system',
      'fulfilment webhook delivered',
    ]);
    // Delivered once: a later run calls nobody.
    w.t.clock.advance(3_600_000);
    await outbox.runOnce();
    expect(calls).toHaveLength(2);
  });
});
