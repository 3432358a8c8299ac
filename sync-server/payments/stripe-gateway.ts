/**
 * PaymentGateway over the official `stripe` library: card_present PaymentIntents with manual
 * capture, each call with the idempotency key its caller derived from the sale. `apiBase`
 * points the library at another host (the local fake Stripe in tests and the demo); only a
 * test-mode key may be sent there (config.ts refuses anything else).
 */
import Stripe from 'stripe';
import {
  SIMULATED_READER_ID,
  TEST_CARD_NUMBERS,
  attachSimulator,
  type CardSimulator,
} from './card-simulator.ts';
import type { GatewayIntent, PaymentGateway } from './gateway.ts';
import { declineMessage } from '../../shared/payments/decline-messages.ts';
import { toGatewayError } from './stripe-errors.ts';

export type StripeGatewayOptions = {
  readonly secretKey: string;
  /** e.g. http://127.0.0.1:12111 — the fake Stripe; unset: api.stripe.com. */
  readonly apiBase?: string;
  /** Per request; a counter should not stare at a spinner for Stripe's default 80 s. */
  readonly timeoutMs?: number;
};

function clientOf(options: StripeGatewayOptions): Stripe {
  const base = options.apiBase ? new URL(options.apiBase) : null;
  return new Stripe(options.secretKey, {
    maxNetworkRetries: 1,
    timeout: options.timeoutMs ?? 15_000,
    telemetry: false,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

function intentOf(pi: Stripe.PaymentIntent): GatewayIntent {
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  const present = charge?.payment_method_details?.card_present ?? null;
  return {
    id: pi.id,
    status: pi.status as GatewayIntent['status'],
    amount: pi.amount,
    amountCapturable: pi.amount_capturable,
    amountReceived: pi.amount_received,
    currency: pi.currency,
    clientSecret: pi.client_secret,
    card: present ? { brand: present.brand ?? null, last4: present.last4 ?? null } : null,
  };
}

/** Runs a call to Stripe; whatever it throws comes out as a GatewayError. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toGatewayError(error);
  }
}

const EXPAND_CHARGE = { expand: ['latest_charge'] };

export function createStripeGateway(options: StripeGatewayOptions): {
  readonly gateway: PaymentGateway;
  /** Only against the fake (an apiBase override with a test key). */
  readonly simulator: CardSimulator | null;
} {
  const stripe = clientOf(options);
  const gateway: PaymentGateway = {
    testMode: /^(sk|rk)_test_/.test(options.secretKey),
    connectionToken: () =>
      call(async () => ({ secret: (await stripe.terminal.connectionTokens.create()).secret })),
    createIntent: (input) =>
      call(async () =>
        intentOf(
          await stripe.paymentIntents.create(
            {
              amount: input.amount,
              currency: input.currency.toLowerCase(),
              // This API version names the accepted methods `allowed_payment_method_types`.
              allowed_payment_method_types: ['card_present'],
              capture_method: 'manual',
              metadata: {
                saleId: input.saleId,
                storeId: input.storeId,
                terminalId: input.terminalId,
              },
            },
            { idempotencyKey: input.idempotencyKey },
          ),
        ),
      ),
    retrieveIntent: (id) =>
      call(async () => intentOf(await stripe.paymentIntents.retrieve(id, EXPAND_CHARGE))),
    captureIntent: (id, idempotencyKey) =>
      call(async () =>
        intentOf(await stripe.paymentIntents.capture(id, EXPAND_CHARGE, { idempotencyKey })),
      ),
    cancelIntent: (id, idempotencyKey) =>
      call(async () =>
        intentOf(await stripe.paymentIntents.cancel(id, EXPAND_CHARGE, { idempotencyKey })),
      ),
    refund: (input) =>
      call(async () => {
        const refund = await stripe.refunds.create(
          { payment_intent: input.paymentIntentId, amount: input.amount },
          { idempotencyKey: input.idempotencyKey },
        );
        return { refundId: refund.id, status: refund.status ?? 'pending' };
      }),
  };
  const simulator: CardSimulator | null =
    options.apiBase && options.secretKey.startsWith('sk_test_')
      ? {
          present: (intentId, testPaymentMethod) =>
            call(async () => {
              await stripe.terminal.readers.processPaymentIntent(SIMULATED_READER_ID, {
                payment_intent: intentId,
              });
              const reader = await stripe.testHelpers.terminal.readers.presentPaymentMethod(
                SIMULATED_READER_ID,
                {
                  card_present: {
                    number: TEST_CARD_NUMBERS[testPaymentMethod] ?? '4242424242424242',
                  },
                },
              );
              if (reader.action?.status === 'failed') {
                const declineCode =
                  (reader.action as { decline_code?: string }).decline_code ??
                  reader.action.failure_code ??
                  'card_declined';
                return {
                  ok: false as const,
                  code: reader.action.failure_code ?? 'card_declined',
                  declineCode,
                  message: declineMessage(declineCode),
                };
              }
              return { ok: true as const, intent: await gateway.retrieveIntent(intentId) };
            }),
        }
      : null;
  if (simulator) attachSimulator(gateway, simulator);
  return { gateway, simulator };
}
