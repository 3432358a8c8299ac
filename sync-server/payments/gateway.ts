/**
 * The server's view of the card processor: the few PaymentIntent operations the counter needs.
 * `stripe-gateway.ts` implements it with the official `stripe` library (against Stripe, or in
 * tests and the demo against the local fake Stripe API); features depend on this type only.
 *
 * Every call carries an idempotency key derived from the sale or refund it serves, so a retry
 * after a lost response never charges or refunds twice.
 */
export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

export type GatewayIntent = {
  readonly id: string;
  readonly status: PaymentIntentStatus;
  readonly amount: number;
  /** What the card authorised; less than `amount` after a partial approval. */
  readonly amountCapturable: number;
  readonly amountReceived: number;
  readonly currency: string;
  /** Only for the terminal that collects the payment; never logged. */
  readonly clientSecret: string | null;
  readonly card: { readonly brand: string | null; readonly last4: string | null } | null;
};

/** A refusal from the processor, worded for the cashier, with Stripe's code kept for the log. */
export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    message: string,
    readonly code: string,
    /** True when the processor could not be reached: the counter shows card as unavailable. */
    readonly unreachable = false,
  ) {
    super(message);
  }
}

export type PaymentGateway = {
  /**
   * True with a Stripe test key: no real card is charged, and the POS discovers Stripe's own
   * simulated reader instead of physical ones.
   */
  readonly testMode: boolean;
  connectionToken(): Promise<{ readonly secret: string }>;
  createIntent(input: {
    readonly amount: number;
    readonly currency: string;
    readonly saleId: string;
    readonly storeId: string;
    readonly terminalId: string;
    readonly idempotencyKey: string;
  }): Promise<GatewayIntent>;
  retrieveIntent(id: string): Promise<GatewayIntent>;
  /** Captures what the card authorised (the whole of it, also after a partial approval). */
  captureIntent(id: string, idempotencyKey: string): Promise<GatewayIntent>;
  cancelIntent(id: string, idempotencyKey: string): Promise<GatewayIntent>;
  refund(input: {
    readonly paymentIntentId: string;
    readonly amount: number;
    readonly idempotencyKey: string;
  }): Promise<{ readonly refundId: string; readonly status: string }>;
};
