/**
 * A stand-in for the Stripe Terminal SDK's `Terminal`, typed by the SDK's own declarations so an
 * SDK change breaks the build here too. It behaves like Stripe's simulated reader: the card is
 * "presented" by asking our server, which (in the demo and tests) has the fake Stripe's test
 * helper decide by amount and test card; a declined card comes back as the SDK's ErrorResponse.
 * Two test cards are ours, for what Stripe's simulator cannot do on demand: `no_card` (nobody
 * presents a card: the collect waits until cancelled or timed out) and `reader_disconnect` (the
 * reader drops mid-payment). Always labelled: "Simulated reader — no real card is charged".
 */
import type {
  DisconnectEvent,
  ErrorResponse,
  ISdkManagedPaymentIntent,
  Reader,
  SimulatorConfiguration,
} from '@stripe/terminal-js';
import type { Simulated } from './payments-api.ts';
import {
  createTerminalCardReader,
  type TerminalCardReader,
  type TerminalLike,
} from './terminal-card-reader.ts';

export const SIMULATED_READER_LABEL = 'Simulated reader — no real card is charged';

/** The test cards the demo offers (SDK `testPaymentMethod` names, plus our two). */
export const SIMULATED_TEST_CARDS: ReadonlyArray<readonly [value: string, label: string]> = [
  ['visa', 'Visa — approved'],
  ['charge_declined_insufficient_funds', 'Declined — insufficient funds'],
  ['charge_declined', 'Declined — generic'],
  ['partial_approval', 'Partial approval — half approved'],
  ['no_card', 'No card presented (times out)'],
  ['reader_disconnect', 'Reader disconnects mid-payment'],
];

type SimulateCard = (intentId: string, testPaymentMethod: string) => Promise<Simulated>;

const SIMULATED_READER: Reader = {
  id: 'tmr_simulated',
  object: 'terminal.reader',
  action: null,
  device_sw_version: null,
  // The JS SDK's own simulated reader reports itself as a WisePOS E.
  device_type: 'bbpos_wisepos_e',
  ip_address: null,
  label: SIMULATED_READER_LABEL,
  last_seen_at: null,
  livemode: false,
  location: null,
  metadata: {},
  serial_number: 'simulated-entitle',
  status: 'online',
};

/**
 * The SDK's PaymentIntent type is Stripe's whole object; the simulator fills the fields a
 * counter reads and leaves the rest out, as the SDK does for fields it did not fetch.
 */
function intentOf(
  clientSecret: string,
  status: ISdkManagedPaymentIntent['status'],
  amountCapturable = 0,
): ISdkManagedPaymentIntent {
  const partial: Partial<ISdkManagedPaymentIntent> = {
    id: clientSecret.split('_secret_')[0] ?? clientSecret,
    object: 'payment_intent',
    client_secret: clientSecret,
    status,
    amount_capturable: amountCapturable,
    capture_method: 'manual',
  };
  return partial as ISdkManagedPaymentIntent;
}

const failure = (code: string, message: string, extra: Partial<ErrorResponse['error']> = {}) => ({
  error: { code, message, ...extra },
});

export type SimulatedTerminal = TerminalLike & {
  setSimulatorConfiguration(config: SimulatorConfiguration): void;
};

export function createSimulatedTerminal(deps: {
  readonly simulate: SimulateCard;
  readonly onUnexpectedReaderDisconnect: (event: DisconnectEvent) => void;
  /** How long the customer takes to tap; short in tests. */
  readonly presentDelayMs?: number;
}): SimulatedTerminal {
  let config: SimulatorConfiguration = {};
  let connected = false;
  let pending: ((answer: ErrorResponse) => void) | null = null;
  const delay = deps.presentDelayMs ?? 400;

  return {
    setSimulatorConfiguration(next) {
      config = next;
    },
    discoverReaders: () => Promise.resolve({ discoveredReaders: [SIMULATED_READER] }),
    connectReader: (reader) => {
      connected = true;
      return Promise.resolve({ reader });
    },
    disconnectReader: () => {
      connected = false;
      return Promise.resolve({});
    },
    collectPaymentMethod: (clientSecret) => {
      if (!connected) {
        return Promise.resolve(failure('no_established_connection', 'No reader is connected.'));
      }
      return new Promise((resolve) => {
        pending = resolve;
        if (config.testPaymentMethod === 'no_card') return;
        setTimeout(() => {
          if (pending !== resolve) return;
          pending = null;
          if (config.testPaymentMethod === 'reader_disconnect') {
            connected = false;
            deps.onUnexpectedReaderDisconnect({
              error: { message: 'The reader lost its connection.' },
            });
            resolve(failure('no_established_connection', 'The reader lost its connection.'));
            return;
          }
          resolve({ paymentIntent: intentOf(clientSecret, 'requires_payment_method') });
        }, delay);
      });
    },
    cancelCollectPaymentMethod: () => {
      const waiting = pending;
      pending = null;
      waiting?.(failure('canceled', 'The collect was canceled.'));
      return Promise.resolve({});
    },
    processPayment: async (intent) => {
      const secret = intent.client_secret ?? '';
      let outcome: Simulated;
      try {
        outcome = await deps.simulate(intent.id, config.testPaymentMethod ?? 'visa');
      } catch (error) {
        return failure('network_error', error instanceof Error ? error.message : String(error));
      }
      if (!outcome.approved) {
        return failure(outcome.code, outcome.message, {
          type: 'card_error',
          decline_code: outcome.declineCode,
        });
      }
      return {
        paymentIntent: intentOf(secret, 'requires_capture', outcome.amountCapturable),
      };
    },
  };
}

export type SimulatedCardReader = TerminalCardReader & {
  /** Which test card the next payment presents (SIMULATED_TEST_CARDS). */
  setTestCard(card: string): void;
};

export function createSimulatedReader(
  simulate: SimulateCard,
  options: { readonly presentDelayMs?: number; readonly collectTimeoutMs?: number } = {},
): SimulatedCardReader {
  let reader: TerminalCardReader | null = null;
  const terminal = createSimulatedTerminal({
    simulate,
    onUnexpectedReaderDisconnect: () => reader?.handleUnexpectedDisconnect(),
    ...(options.presentDelayMs === undefined ? {} : { presentDelayMs: options.presentDelayMs }),
  });
  const created = createTerminalCardReader(terminal, {
    simulated: true,
    ...(options.collectTimeoutMs === undefined
      ? {}
      : { collectTimeoutMs: options.collectTimeoutMs }),
  });
  reader = created;
  return {
    ...created,
    setTestCard: (card) => terminal.setSimulatorConfiguration({ testPaymentMethod: card }),
  };
}
