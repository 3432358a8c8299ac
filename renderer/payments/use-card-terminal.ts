import { useCallback, useEffect, useMemo, useState } from 'react';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { createApiClient } from '../sync/api-client.ts';
import type { CardReader, ReaderInfo } from './card-reader.ts';
import { createPaymentsApi, type CardStatus, type PaymentsApi } from './payments-api.ts';
import { createSimulatedReader, type SimulatedCardReader } from './simulated-reader.ts';

/** Whether the Card tender can be used now, and if not, the plain reason. */
export type CardAvailability =
  | { readonly state: 'ready'; readonly reader: ReaderInfo }
  | { readonly state: 'no_reader'; readonly reason: string }
  | { readonly state: 'unavailable'; readonly reason: string }
  | { readonly state: 'checking'; readonly reason: string };

const STATUS_POLL_MS = 30_000;

/** Card is off while offline, while the server says so, or with no reader; cash never is. */
export function cardAvailability(input: {
  readonly online: boolean;
  readonly status: CardStatus | null;
  readonly connected: ReaderInfo | null;
}): CardAvailability {
  const { online, status, connected } = input;
  if (!online) {
    return { state: 'unavailable', reason: 'Offline: card payments need the server. Take cash.' };
  }
  if (!status) return { state: 'checking', reason: 'Checking card payments…' };
  if (status.card !== 'ready') return { state: 'unavailable', reason: status.reason };
  if (!connected) return { state: 'no_reader', reason: 'No card reader is connected.' };
  return { state: 'ready', reader: connected };
}

/**
 * One reader per page, kept across screens (connecting a reader takes seconds; a cashier should
 * connect once a shift, not once a sale).
 */
let shared: { readonly key: string; readonly reader: CardReader } | null = null;

/**
 * The fake Stripe (demo, tests) gets the POS's own simulated reader; Stripe itself gets the SDK,
 * which in test mode discovers Stripe's simulated reader rather than physical ones.
 */
async function readerFor(key: string, api: PaymentsApi, status: CardStatus): Promise<CardReader> {
  if (shared?.key === key) return shared.reader;
  const reader = status.simulated
    ? createSimulatedReader(api.simulate)
    : await (
        await import('./stripe-terminal-reader.ts')
      ).loadStripeTerminalReader({
        fetchConnectionToken: api.connectionToken,
        simulated: status.testMode,
      });
  shared = { key, reader };
  return reader;
}

export function useCardTerminal() {
  const { credentials, sync } = usePos();
  const online = useObservable(sync.status.status$, sync.status.current).online;
  const api = useMemo(
    () =>
      createPaymentsApi(
        createApiClient({ serverUrl: credentials.serverUrl, token: credentials.token }),
      ),
    [credentials.serverUrl, credentials.token],
  );
  const key = `${credentials.serverUrl}|${credentials.terminalId}`;
  const [status, setStatus] = useState<CardStatus | null>(null);
  const [connected, setConnected] = useState<ReaderInfo | null>(
    shared?.key === key ? shared.reader.connected() : null,
  );
  const [connecting, setConnecting] = useState(false);
  const [connectProblem, setConnectProblem] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const check = () => {
      api.status().then(
        (next) => {
          if (!stopped) setStatus(next);
        },
        () => {
          if (!stopped) setStatus(null);
        },
      );
    };
    check();
    const timer = setInterval(check, STATUS_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, online]);

  useEffect(() => {
    if (shared?.key !== key) return undefined;
    return shared.reader.onDisconnect(() => setConnected(null));
  }, [key, connected]);

  const connect = useCallback(async () => {
    if (!status) return;
    setConnecting(true);
    setConnectProblem(null);
    try {
      const reader = await readerFor(key, api, status);
      const [first] = await reader.discover();
      if (!first) throw new Error('No card reader was found. Check it is on and near the till.');
      await reader.connect(first);
      setConnected(reader.connected());
    } catch (error) {
      setConnectProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setConnecting(false);
    }
  }, [api, key, status]);

  const availability = cardAvailability({ online, status, connected });

  const reader = shared?.key === key ? shared.reader : null;
  return {
    api,
    availability,
    reader,
    simulated: status?.simulated ?? false,
    /** The simulated reader's test card chooser, when the reader is simulated. */
    simulatedReader:
      reader && reader.simulated && 'setTestCard' in reader
        ? (reader as SimulatedCardReader)
        : null,
    connect,
    connecting,
    connectProblem,
    online,
  };
}
