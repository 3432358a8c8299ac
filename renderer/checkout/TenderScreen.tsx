import { useState } from 'react';
import { formatMoney, parseMoneyInput } from '../../shared/money.ts';
import { suggestCashTenders, tenderCash } from '../../shared/sale/cash.ts';
import { giftCartLabel } from '../../shared/sale/gift.ts';
import { navigate } from '../app/route.ts';
import { usePos } from '../app/pos-context.ts';
import { useCart } from '../sell/use-cart.ts';
import { CheckoutProblem, completeCashSale } from './complete-sale.ts';

export function TenderScreen() {
  const { db, credentials } = usePos();
  const { lines, total: due } = useCart();
  const [typed, setTyped] = useState('');
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const currency = credentials.currency;
  const tendered = typed === '' ? null : parseMoneyInput(typed, currency);
  const tender = tendered === null ? null : tenderCash(due, tendered);

  async function complete(amount: number) {
    setBusy(true);
    setProblem(null);
    try {
      const buyerEmail = email.trim();
      const sale = await completeCashSale(db, credentials, {
        tendered: amount,
        ...(buyerEmail ? { buyerEmail } : {}),
      });
      navigate({ screen: 'receipt', saleId: sale.id, fresh: true });
    } catch (error) {
      setProblem(
        error instanceof CheckoutProblem
          ? error.message
          : `The sale was not saved: ${String(error)}. Try again.`,
      );
    } finally {
      setBusy(false);
    }
  }

  if (lines.length === 0) {
    return (
      <p className="screen-message">
        The cart is empty. <a href="#/sell">Back to selling</a>
      </p>
    );
  }
  return (
    <section className="tender-screen" aria-labelledby="tender-title">
      <h1 id="tender-title">
        Cash · due <span data-testid="amount-due">{formatMoney(due, currency)}</span>
      </h1>
      <div className="buyer-email">
        <label htmlFor="buyer-email">E-mail the codes to (optional)</label>
        <input
          id="buyer-email"
          type="email"
          inputMode="email"
          autoComplete="off"
          placeholder="customer@example.com"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <p className="hint">
          Sent once this sale reaches the server. The receipt always has the codes.
        </p>
        {lines.some((line) => line.gift) && (
          <ul className="tender-gifts" aria-label="Gifts in this sale">
            {lines.flatMap((line) =>
              line.gift
                ? [
                    <li key={line.productId}>
                      {line.product?.name ?? 'Item'}: {giftCartLabel(line.gift)}
                    </li>,
                  ]
                : [],
            )}
          </ul>
        )}
      </div>
      <div className="quick-tenders" role="group" aria-label="Quick cash amounts">
        {suggestCashTenders(due, currency).map((amount, index) => (
          <button
            key={amount}
            type="button"
            className="button button-big"
            disabled={busy}
            onClick={() => void complete(amount)}
          >
            {index === 0 ? `Exact ${formatMoney(amount, currency)}` : formatMoney(amount, currency)}
          </button>
        ))}
      </div>
      <form
        className="tender-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (tendered !== null && tender?.ok) void complete(tendered);
        }}
      >
        <label htmlFor="cash-received">Cash received</label>
        <input
          id="cash-received"
          inputMode="decimal"
          autoComplete="off"
          autoFocus
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
        <p className="tender-feedback" aria-live="polite">
          {typed !== '' && tendered === null && 'Type an amount like 20 or 20.50.'}
          {tender?.ok === true && (
            <>
              Change{' '}
              <strong data-testid="change-preview">{formatMoney(tender.change, currency)}</strong>
            </>
          )}
          {tender?.ok === false && `${formatMoney(tender.short, currency)} more is needed.`}
        </p>
        <div className="tender-buttons">
          <button type="button" className="button" onClick={() => navigate({ screen: 'sell' })}>
            Back
          </button>
          <button
            type="submit"
            className="button button-primary button-big"
            disabled={busy || tender?.ok !== true}
          >
            Complete sale
          </button>
        </div>
      </form>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </section>
  );
}
