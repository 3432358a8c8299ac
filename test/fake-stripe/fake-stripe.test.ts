import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from './fake-stripe.ts';
import { PARTIAL_APPROVAL_CARD } from './simulated-outcomes.ts';

let fake: FakeStripe;
let stripe: Stripe;
beforeEach(async () => {
  fake = await startFakeStripe();
  stripe = new Stripe('sk_test_fake', {
    host: fake.host,
    port: fake.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
});
afterEach(async () => {
  await fake.close();
});

const READER = 'tmr_test';

function newIntent(amount: number, key?: string) {
  return stripe.paymentIntents.create(
    {
      amount,
      currency: 'eur',
      allowed_payment_method_types: ['card_present'],
      capture_method: 'manual',
      metadata: { saleId: 'sale-1' },
    },
    key === undefined ? {} : { idempotencyKey: key },
  );
}

async function presentCard(intentId: string, number = '4242424242424242') {
  await stripe.terminal.readers.processPaymentIntent(READER, { payment_intent: intentId });
  return stripe.testHelpers.terminal.readers.presentPaymentMethod(READER, {
    card_present: { number },
  });
}

describe('fake Stripe: refusals, shaped as Stripe sends them', () => {
  it('refuses a key that is not a test key with an authentication error', async () => {
    const live = new Stripe('sk_live_nope', {
      host: fake.host,
      port: fake.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await expect(live.paymentIntents.retrieve('pi_x')).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });

  it('answers 404 invalid_request_error for an unknown PaymentIntent', async () => {
    const error = await stripe.paymentIntents.retrieve('pi_unknown').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(404);
  });

  it('refuses the same idempotency key with other parameters (400 idempotency_error)', async () => {
    const first = await newIntent(1000, 'sale:s1:card:1');
    const replay = await newIntent(1000, 'sale:s1:card:1');
    expect(replay.id).toBe(first.id);
    expect(fake.intents.size).toBe(1);
    const error = await newIntent(2000, 'sale:s1:card:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(400);
    expect(fake.intents.size).toBe(1);
  });

  it('refuses to capture an intent no card was presented to', async () => {
    const intent = await newIntent(1000);
    const error = await stripe.paymentIntents.capture(intent.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Stripe.errors.StripeError).code).toBe('payment_intent_unexpected_state');
  });

  it('answers 429 rate_limit when told to, and drops connections while unreachable', async () => {
    fake.rateLimitNext();
    await expect(newIntent(1000)).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    fake.setUnreachable(true);
    await expect(newIntent(1000)).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    fake.setUnreachable(false);
    expect((await newIntent(1000)).status).toBe('requires_payment_method');
  });
});

describe('fake Stripe: the simulated reader decides by amount and test card', () => {
  it.each([
    [1001, 'call_issuer'],
    [1005, 'generic_decline'],
    [1055, 'incorrect_pin'],
    [1065, 'withdrawal_count_limit_exceeded'],
    [1075, 'pin_try_exceeded'],
  ])('declines %i with %s and leaves the intent waiting for another card', async (amount, code) => {
    const intent = await newIntent(amount);
    const reader = await presentCard(intent.id);
    expect(reader.action?.status).toBe('failed');
    expect((reader.action as { decline_code?: string }).decline_code).toBe(code);
    const after = await stripe.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.decline_code).toBe(code);
  });

  it('declines the insufficient-funds test card', async () => {
    const intent = await newIntent(1000);
    const reader = await presentCard(intent.id, '4000000000009995');
    expect((reader.action as { decline_code?: string }).decline_code).toBe('insufficient_funds');
  });

  it('authorises, captures once (replayed by key) and reports the card', async () => {
    const intent = await newIntent(1250);
    expect((await presentCard(intent.id)).action?.status).toBe('succeeded');
    const authorised = await stripe.paymentIntents.retrieve(intent.id);
    expect(authorised).toMatchObject({ status: 'requires_capture', amount_capturable: 1250 });
    const captured = await stripe.paymentIntents.capture(
      intent.id,
      { expand: ['latest_charge'] },
      { idempotencyKey: `capture:${intent.id}` },
    );
    const again = await stripe.paymentIntents.capture(
      intent.id,
      { expand: ['latest_charge'] },
      { idempotencyKey: `capture:${intent.id}` },
    );
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 1250 });
    expect(again.amount_received).toBe(1250);
    const charge = captured.latest_charge as Stripe.Charge;
    expect(charge.payment_method_details?.card_present).toMatchObject({
      brand: 'visa',
      last4: '4242',
    });
  });

  it('approves part of the amount with the partial-approval card; capture takes that part', async () => {
    const intent = await newIntent(5000);
    await presentCard(intent.id, PARTIAL_APPROVAL_CARD);
    const captured = await stripe.paymentIntents.capture(intent.id);
    expect(captured).toMatchObject({ status: 'succeeded', amount: 5000, amount_received: 2500 });
  });

  it('cancels before capture; a captured intent cannot be cancelled', async () => {
    const open = await newIntent(1000);
    expect((await stripe.paymentIntents.cancel(open.id)).status).toBe('canceled');
    const paid = await newIntent(1000);
    await presentCard(paid.id);
    await stripe.paymentIntents.capture(paid.id);
    await expect(stripe.paymentIntents.cancel(paid.id)).rejects.toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });

  it('refunds partially, up to what was received, then charge_already_refunded', async () => {
    const intent = await newIntent(3000);
    await presentCard(intent.id);
    await stripe.paymentIntents.capture(intent.id);
    const part = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
    expect(part).toMatchObject({ amount: 1000, status: 'succeeded' });
    await expect(
      stripe.refunds.create({ payment_intent: intent.id, amount: 2500 }),
    ).rejects.toMatchObject({ code: 'amount_too_large' });
    await stripe.refunds.create({ payment_intent: intent.id });
    await expect(stripe.refunds.create({ payment_intent: intent.id })).rejects.toMatchObject({
      code: 'charge_already_refunded',
    });
    expect(fake.refunds.map((refund) => refund.amount)).toEqual([1000, 2000]);
  });
});
