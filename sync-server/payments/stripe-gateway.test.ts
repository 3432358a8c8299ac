import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeStripe, type FakeStripe } from '../../test/fake-stripe/fake-stripe.ts';
import { GatewayError } from './gateway.ts';
import { createStripeGateway } from './stripe-gateway.ts';

let fake: FakeStripe;
beforeEach(async () => {
  fake = await startFakeStripe();
});
afterEach(async () => {
  await fake.close();
});

const input = {
  amount: 1500,
  currency: 'EUR',
  saleId: 'sale-1',
  storeId: 'store-1',
  terminalId: 'term-1',
  idempotencyKey: 'sale:sale-1:card:1',
};

describe('Stripe gateway: errors in words the counter can act on', () => {
  it('reports an unreachable Stripe as unreachable, with what to do', async () => {
    const { gateway } = createStripeGateway({
      secretKey: 'sk_test_gateway',
      apiBase: fake.url,
      timeoutMs: 2000,
    });
    fake.setUnreachable(true);
    const error = await gateway.createIntent(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'unreachable', unreachable: true });
    expect((error as GatewayError).message).toMatch(/Take cash/);
  });

  it('reports a refused key and a rate limit', async () => {
    const wrongKey = createStripeGateway({ secretKey: 'sk_live_x', apiBase: fake.url }).gateway;
    await expect(wrongKey.connectionToken()).rejects.toMatchObject({
      code: 'authentication',
      message: expect.stringMatching(/STRIPE_SECRET_KEY/) as unknown,
    });
    const { gateway } = createStripeGateway({ secretKey: 'sk_test_gateway', apiBase: fake.url });
    fake.rateLimitNext();
    await expect(gateway.createIntent(input)).rejects.toMatchObject({ code: 'rate_limit' });
  });

  it("is in test mode with a test key only (the POS then finds Stripe's simulated reader)", () => {
    expect(createStripeGateway({ secretKey: 'sk_test_abcdefgh' }).gateway.testMode).toBe(true);
    expect(createStripeGateway({ secretKey: 'rk_test_abcdefgh' }).gateway.testMode).toBe(true);
    expect(createStripeGateway({ secretKey: 'sk_live_abcdefgh' }).gateway.testMode).toBe(false);
  });

  it('offers no simulator against Stripe itself', () => {
    expect(createStripeGateway({ secretKey: 'sk_test_gateway' }).simulator).toBeNull();
    expect(
      createStripeGateway({ secretKey: 'sk_test_gateway', apiBase: fake.url }).simulator,
    ).not.toBeNull();
  });
});

describe('Stripe gateway', () => {
  it('creates a manual-capture card_present intent and reads it back', async () => {
    const { gateway } = createStripeGateway({ secretKey: 'sk_test_gateway', apiBase: fake.url });
    const created = await gateway.createIntent(input);
    expect(created).toMatchObject({
      amount: 1500,
      currency: 'eur',
      status: 'requires_payment_method',
      amountReceived: 0,
      card: null,
    });
    expect(created.clientSecret).toMatch(/^pi_\w+_secret_/);
    expect((await gateway.retrieveIntent(created.id)).id).toBe(created.id);
    expect(fake.intents.get(created.id)?.metadata).toEqual({
      saleId: 'sale-1',
      storeId: 'store-1',
      terminalId: 'term-1',
    });
  });
});
