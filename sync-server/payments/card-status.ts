import type { Clock } from '../deps.ts';
import type { PaymentGateway } from './gateway.ts';
import { toGatewayError } from './stripe-errors.ts';

export type CardStatus = {
  readonly card: 'ready' | 'not_configured' | 'unreachable';
  /** Empty when ready; otherwise what the cashier does instead. */
  readonly reason: string;
  /** True when payments go to the local fake Stripe: the POS uses its simulated reader. */
  readonly simulated: boolean;
  /** A Stripe test key: the POS discovers Stripe's own simulated reader (see gateway.ts). */
  readonly testMode: boolean;
};

/** Long enough that a till polling every few seconds does not hit Stripe each time. */
export const CARD_STATUS_TTL_MS = 30_000;

export const NOT_CONFIGURED =
  'Card payments are not set up on this server: take cash. A manager can set STRIPE_SECRET_KEY (see docs/stripe.md).';

/**
 * Whether card payments can be taken now, remembered for CARD_STATUS_TTL_MS: asking for a
 * connection token proves both that Stripe is reachable and that it accepts the key.
 */
export function cardStatusProbe(
  gateway: PaymentGateway | null,
  simulated: boolean,
  clock: Clock,
): () => Promise<CardStatus> {
  let cached: { readonly at: number; readonly status: CardStatus } | undefined;
  return async () => {
    if (!gateway) {
      return { card: 'not_configured', reason: NOT_CONFIGURED, simulated: false, testMode: false };
    }
    const { testMode } = gateway;
    const now = clock().getTime();
    if (cached && now - cached.at < CARD_STATUS_TTL_MS) return cached.status;
    let status: CardStatus;
    try {
      await gateway.connectionToken();
      status = { card: 'ready', reason: '', simulated, testMode };
    } catch (error) {
      status = { card: 'unreachable', reason: toGatewayError(error).message, simulated, testMode };
    }
    cached = { at: now, status };
    return status;
  };
}
