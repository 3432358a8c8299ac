/**
 * The real Stripe Terminal SDK behind CardReader. The only file that loads the SDK, and only
 * when called (a dynamic import: the SDK fetches Stripe's script from js.stripe.com, which
 * tests and an offline till must never wait on). Unit tests use simulated-reader.ts instead.
 */
import { createTerminalCardReader, type TerminalCardReader } from './terminal-card-reader.ts';

export async function loadStripeTerminalReader(options: {
  /** Our server's POST /payments/connection-token. */
  readonly fetchConnectionToken: () => Promise<string>;
  /** Stripe's own simulated reader (test mode keys only). */
  readonly simulated: boolean;
}): Promise<TerminalCardReader> {
  const { loadStripeTerminal } = await import('@stripe/terminal-js');
  const StripeTerminal = await loadStripeTerminal();
  if (!StripeTerminal) {
    throw new Error('The Stripe Terminal SDK could not be loaded. Check the internet connection.');
  }
  let reader: TerminalCardReader | null = null;
  const terminal = StripeTerminal.create({
    onFetchConnectionToken: options.fetchConnectionToken,
    onUnexpectedReaderDisconnect: () => reader?.handleUnexpectedDisconnect(),
  });
  reader = createTerminalCardReader(terminal, { simulated: options.simulated });
  return reader;
}
