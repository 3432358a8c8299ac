import { useState } from 'react';
import type { CurrencyCode } from '../../shared/money.ts';
import { formatMoney, parseMoneyInput } from '../../shared/money.ts';
import { usePos } from '../app/pos-context.ts';
import { SIMULATED_READER_LABEL, SIMULATED_TEST_CARDS } from '../payments/simulated-reader.ts';
import { takeCardPayment } from '../payments/take-card-payment.ts';
import type { useCardTerminal } from '../payments/use-card-terminal.ts';
import { defaultCheckoutDeps } from './complete-sale.ts';

/**
 * The Card half of the tender screen: an amount (default: all that is still due), "Pay by card",
 * and while the reader waits, "Cancel card payment". Disabled with the reason when card cannot
 * be taken (offline, not configured, Stripe unreachable, no reader) — cash always works.
 */
export function CardTender(props: {
  readonly terminal: ReturnType<typeof useCardTerminal>;
  readonly remaining: number;
  readonly currency: CurrencyCode;
  readonly busy: boolean;
  readonly onPaid: (remainingAfter: number) => void;
}) {
  const { cart } = usePos();
  const { terminal, remaining, currency } = props;
  const [typed, setTyped] = useState('');
  const [collecting, setCollecting] = useState(false);
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const [attempt, setAttempt] = useState(1);
  const [testCard, setTestCard] = useState('visa');
  const amount = typed === '' ? remaining : parseMoneyInput(typed, currency);
  const amountProblem =
    amount === null
      ? 'Type an amount like 20 or 20.50.'
      : amount < 1
        ? 'The card amount must be above zero.'
        : amount > remaining
          ? `At most ${formatMoney(remaining, currency)} is due.`
          : null;
  const { availability } = terminal;
  const ready = availability.state === 'ready';

  async function payByCard() {
    const reader = terminal.reader;
    if (!reader || amount === null || amountProblem) return;
    setCollecting(true);
    setMessage(null);
    terminal.simulatedReader?.setTestCard(testCard);
    try {
      const result = await takeCardPayment(
        {
          api: terminal.api,
          reader,
          cart,
          newId: defaultCheckoutDeps.newId,
          formatMoney: (value) => formatMoney(value, currency),
        },
        { amount, attempt },
      );
      setAttempt(result.nextAttempt);
      setMessage({ text: result.message, bad: result.kind !== 'paid' });
      if (result.kind === 'paid') {
        setTyped('');
        props.onPaid(remaining - result.payment.amount);
      }
    } finally {
      setCollecting(false);
    }
  }

  return (
    <section className="tender-card" aria-labelledby="card-tender-title">
      <h2 id="card-tender-title">Card</h2>
      {terminal.simulated && (
        <p className="simulated-reader" data-testid="simulated-reader">
          {SIMULATED_READER_LABEL}
        </p>
      )}
      <label htmlFor="card-amount">Amount to charge the card</label>
      <input
        id="card-amount"
        inputMode="decimal"
        autoComplete="off"
        placeholder={formatMoney(remaining, currency)}
        value={typed}
        disabled={collecting}
        onChange={(event) => setTyped(event.target.value)}
      />
      {typed !== '' && amountProblem && <p className="error">{amountProblem}</p>}
      {terminal.simulatedReader && (
        <>
          <label htmlFor="test-card">Test card (simulated reader)</label>
          <select
            id="test-card"
            value={testCard}
            disabled={collecting}
            onChange={(event) => setTestCard(event.target.value)}
          >
            {SIMULATED_TEST_CARDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <p className="hint">
            Like Stripe&apos;s simulator, amounts ending in .01, .05, .55, .65 or .75 are declined.
          </p>
        </>
      )}
      {collecting ? (
        <>
          <p className="card-waiting" role="status">
            Present the card on the reader…
          </p>
          <button
            type="button"
            className="button button-big"
            onClick={() => void terminal.reader?.cancelCollect()}
          >
            Cancel card payment
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button button-primary button-big"
          aria-keyshortcuts="F6"
          disabled={!ready || props.busy || amountProblem !== null}
          onClick={() => void payByCard()}
        >
          Pay by card {amount !== null && !amountProblem ? formatMoney(amount, currency) : ''}
          <span className="key-hint"> F6</span>
        </button>
      )}
      {!ready && (
        <p className="card-unavailable" data-testid="card-unavailable">
          {availability.reason}
        </p>
      )}
      {availability.state === 'no_reader' && (
        <button
          type="button"
          className="button"
          disabled={terminal.connecting}
          onClick={() => void terminal.connect()}
        >
          {terminal.connecting ? 'Connecting…' : 'Connect reader'}
        </button>
      )}
      {ready && <p className="hint">Reader: {availability.reader.label}</p>}
      {terminal.connectProblem && <p className="error">{terminal.connectProblem}</p>}
      {message && (
        <p className={message.bad ? 'error' : 'card-ok'} role="alert" data-testid="card-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
