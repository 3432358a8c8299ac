import type { GatewayIntent } from './gateway.ts';

/**
 * Presents a test card to a PaymentIntent, as Stripe's simulated reader does. Only exists when
 * the server talks to the local fake Stripe (STRIPE_API_BASE with a test key): the demo and the
 * Playwright tests use it; against Stripe itself the SDK's own simulated reader does this.
 */
export type CardSimulator = {
  present(
    intentId: string,
    testPaymentMethod: string,
  ): Promise<
    | { readonly ok: true; readonly intent: GatewayIntent }
    | {
        readonly ok: false;
        readonly code: string;
        readonly declineCode: string;
        readonly message: string;
      }
  >;
};

/**
 * The simulator's `testPaymentMethod` names (as in the Terminal SDK's SimulatorConfiguration)
 * and the test card numbers Stripe documents for them; `partial_approval` is the fake's own.
 */
export const TEST_CARD_NUMBERS: Readonly<Record<string, string>> = {
  visa: '4242424242424242',
  visa_debit: '4000056655665556',
  mastercard: '5555555555554444',
  amex: '378282246310005',
  charge_declined: '4000000000000002',
  charge_declined_insufficient_funds: '4000000000009995',
  charge_declined_lost_card: '4000000000009987',
  charge_declined_stolen_card: '4000000000009979',
  charge_declined_expired_card: '4000000000000069',
  charge_declined_processing_error: '4000000000000119',
  partial_approval: '4000000000002211',
};

/** The one reader the fake simulates for the whole server. */
export const SIMULATED_READER_ID = 'tmr_simulated';

/**
 * Which gateways can simulate a card: kept beside the gateway rather than on AppContext, so
 * only the payment routes know the simulator exists and PaymentGateway keeps its shape.
 */
const simulators = new WeakMap<object, CardSimulator>();

export function attachSimulator(gateway: object, simulator: CardSimulator): void {
  simulators.set(gateway, simulator);
}

export function simulatorOf(gateway: object | null): CardSimulator | null {
  return gateway ? (simulators.get(gateway) ?? null) : null;
}
