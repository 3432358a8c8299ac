/**
 * CardReader over a Stripe Terminal SDK `Terminal` (the real one from stripe-terminal-reader.ts,
 * or the simulated one from simulated-reader.ts, both typed by the SDK's own declarations).
 * It turns the SDK's `{ error }` answers into outcomes with a sentence for the cashier, adds a
 * timeout for a card that never comes, and ends a collect when the reader drops.
 */
import type { ErrorResponse, ExposedError, Reader, Terminal } from '@stripe/terminal-js';
import type { CardReader, CollectOutcome, ReaderInfo } from './card-reader.ts';
import { declineMessage } from '../../shared/payments/decline-messages.ts';
import { CARD_MESSAGES } from './card-messages.ts';

export type TerminalLike = Pick<
  Terminal,
  | 'discoverReaders'
  | 'connectReader'
  | 'disconnectReader'
  | 'collectPaymentMethod'
  | 'processPayment'
  | 'cancelCollectPaymentMethod'
>;

/** Stripe asks a customer to present a card within about a minute; so do we. */
export const DEFAULT_COLLECT_TIMEOUT_MS = 60_000;

function isError(result: object): result is ErrorResponse {
  return 'error' in result;
}

function infoOf(reader: Reader, simulated: boolean): ReaderInfo {
  return { id: reader.id, label: reader.label, simulated };
}

/** A sentence for an SDK error outside declines: cancelled, reader gone, network. */
function outcomeOfError(error: ExposedError): CollectOutcome {
  if (error.decline_code || error.code === 'card_declined' || error.type === 'card_error') {
    const declineCode = error.decline_code ?? error.code ?? 'generic_decline';
    return { kind: 'declined', declineCode, message: declineMessage(declineCode) };
  }
  if (error.code === 'canceled') return { kind: 'cancelled', message: CARD_MESSAGES.cancelled };
  if (error.code === 'no_established_connection' || error.code === 'reader_disconnected') {
    return { kind: 'disconnected', message: CARD_MESSAGES.disconnected };
  }
  if (error.code === 'network_error' || error.code === 'server_unreachable') {
    return { kind: 'failed', message: CARD_MESSAGES.unreachable };
  }
  return {
    kind: 'failed',
    message: `The card reader reported: ${error.message} Try again, or take cash.`,
  };
}

export type TerminalCardReader = CardReader & {
  /** Wire to the SDK's onUnexpectedReaderDisconnect. */
  handleUnexpectedDisconnect(): void;
};

export function createTerminalCardReader(
  terminal: TerminalLike,
  options: { readonly simulated: boolean; readonly collectTimeoutMs?: number },
): TerminalCardReader {
  let connected: ReaderInfo | null = null;
  let readers: Reader[] = [];
  const listeners = new Set<() => void>();
  /** Ends the collect in progress (timeout, disconnect); null when none is. */
  let interrupt: ((outcome: CollectOutcome) => void) | null = null;

  async function collectOnce(intent: { readonly clientSecret: string }): Promise<CollectOutcome> {
    const collected = await terminal.collectPaymentMethod(intent.clientSecret);
    if (isError(collected)) return outcomeOfError(collected.error);
    const processed = await terminal.processPayment(collected.paymentIntent);
    if (isError(processed)) return outcomeOfError(processed.error);
    if (processed.paymentIntent.status !== 'requires_capture') {
      return {
        kind: 'failed',
        message: `The card payment ended as ${processed.paymentIntent.status}. Try again, or take cash.`,
      };
    }
    return { kind: 'authorised', amountCapturable: processed.paymentIntent.amount_capturable };
  }

  return {
    simulated: options.simulated,
    async discover() {
      const result = await terminal.discoverReaders({ simulated: options.simulated });
      if (isError(result)) throw new Error(`No card reader found: ${result.error.message}`);
      readers = result.discoveredReaders;
      return readers.map((reader) => infoOf(reader, options.simulated));
    },
    async connect(info) {
      const reader = readers.find((candidate) => candidate.id === info.id);
      if (!reader) throw new Error('That reader is no longer available. Search for readers again.');
      const result = await terminal.connectReader(reader);
      if (isError(result)) {
        throw new Error(`The reader did not connect: ${result.error.message} Try again.`);
      }
      connected = infoOf(result.reader, options.simulated);
    },
    connected: () => connected,
    async collect(intent) {
      if (!connected) {
        return {
          kind: 'disconnected',
          message: 'No card reader is connected. Connect the reader first.',
        };
      }
      const interrupted = new Promise<CollectOutcome>((resolve) => {
        interrupt = resolve;
      });
      const timer = setTimeout(() => {
        void terminal.cancelCollectPaymentMethod();
        interrupt?.({ kind: 'timeout', message: CARD_MESSAGES.timeout });
      }, options.collectTimeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS);
      try {
        return await Promise.race([interrupted, collectOnce(intent)]);
      } finally {
        clearTimeout(timer);
        interrupt = null;
      }
    },
    async cancelCollect() {
      await terminal.cancelCollectPaymentMethod();
    },
    onDisconnect(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async disconnect() {
      connected = null;
      await terminal.disconnectReader();
    },
    handleUnexpectedDisconnect() {
      connected = null;
      interrupt?.({ kind: 'disconnected', message: CARD_MESSAGES.disconnected });
      for (const listener of listeners) listener();
    },
  };
}
