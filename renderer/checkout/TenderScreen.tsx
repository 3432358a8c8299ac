import { useEffect, useState } from 'react';
import { formatMoney, parseMoneyInput } from '../../shared/money.ts';
import { cashRoundingIncrement, roundCashDue } from '../../shared/pricing/cash-rounding.ts';
import { suggestCashTenders, tenderCash } from '../../shared/sale/cash.ts';
import { giftCartLabel } from '../../shared/sale/gift.ts';
import { navigate } from '../app/route.ts';
import { discountApproval, forgetDiscountApproval } from '../approval/discount-approval.ts';
import { usePos } from '../app/pos-context.ts';
import { voidCardPayments } from '../payments/take-card-payment.ts';
import { useCardTerminal } from '../payments/use-card-terminal.ts';
import { useCart } from '../sell/use-cart.ts';
import { useOpenShift } from '../shift/use-open-shift.ts';
import { useSignedInStaff } from '../staff/staff-context.ts';
import { CardTender } from './CardTender.tsx';
import { handOverFreshSale } from '../receipt/fresh-receipt.ts';
import { drawCodesAhead, drawQrCodesAhead } from '../receipt/qr-drawing.ts';
import { settleSale } from './after-sale.ts';
import { CheckoutProblem, defaultCheckoutDeps, writeSale } from './complete-sale.ts';
import { codesSignedAhead, reserveAhead } from './issuing.ts';
import { EmptyCartNote } from './EmptyCartNote.tsx';
import { useOneAtATime } from './one-at-a-time.ts';
import './tender.css';

/**
 * Card and Cash side by side. A card may pay part of the due (split tender); each captured card
 * payment is on the cart at once, and the sale completes when nothing is left, or with cash for
 * the rest. Cash never waits on the network. "Cancel sale" gives card money back first.
 */
export function TenderScreen() {
  const { db, credentials, cart } = usePos();
  const staff = useSignedInStaff();
  // The tender screen is inside the shift gate, so a shift is open: each sale names it.
  const shiftId = useOpenShift()?.shiftId ?? null;
  const { lines, units, total, remaining, cardPayments, cartDiscount } = useCart();
  const hasDiscount = cartDiscount !== undefined || lines.some((line) => line.discount);
  const terminal = useCardTerminal();
  const [typed, setTyped] = useState('');
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // "Complete sale" must not repaint the screen while the sale is written: see oneAtATime.
  const { busy, guard } = useOneAtATime();
  const [soldId, setSoldId] = useState<string | null>(null);
  const currency = credentials.currency;
  const increment = cashRoundingIncrement(currency);
  const { payable, rounding } = roundCashDue(Math.max(remaining, 0), increment);
  const tendered = typed === '' ? null : parseMoneyInput(typed, currency);
  const tender = tendered === null ? null : tenderCash(payable, tendered);

  // The receipt number and serials are stored ahead while the cashier takes the payment, so
  // Complete writes only the sale. Unused ones stay this window's; closing it leaves a gap.
  // Their codes' QR drawings are made then too, so the receipt finds them drawn.
  useEffect(() => {
    if (units === 0) return;
    void reserveAhead(db, credentials, units)
      .then(() => codesSignedAhead(db, credentials, units))
      .then((codes) => {
        drawQrCodesAhead(codes, credentials.redeemBaseUrl);
      });
  }, [db, credentials, units]);

  function complete(cashTendered: number | undefined): Promise<void> {
    return guard.run(() => completeNow(cashTendered));
  }

  async function completeNow(cashTendered: number | undefined) {
    setProblem(null);
    try {
      const buyerEmail = email.trim();
      const written = await writeSale(
        db,
        credentials,
        {
          ...(cashTendered === undefined ? {} : { cashTendered }),
          ...(buyerEmail ? { buyerEmail } : {}),
          staffId: staff?.id ?? null,
          shiftId,
          discountApprovedBy: hasDiscount ? await discountApproval(db) : null,
        },
        defaultCheckoutDeps,
        // Only codes not signed ahead (the numbers were reserved at Complete) are drawn here.
        (sale) => {
          drawCodesAhead(sale, credentials.redeemBaseUrl);
        },
      );
      // The sale is stored: the receipt shows it now, from memory, and its URL is written once
      // it has painted. Emptying the cart and the audit event follow while it shows (settleSale
      // says how a crash meanwhile is repaired), started after the route changed: React renders
      // the receipt before their first writes.
      setSoldId(written.sale.id);
      handOverFreshSale(written);
      navigate(
        { screen: 'receipt', saleId: written.sale.id, fresh: true },
        { urlAfterPaint: true },
      );
      void settleSale(db, credentials, written);
    } catch (error) {
      setProblem(
        error instanceof CheckoutProblem
          ? error.message
          : `The sale was not saved: ${String(error)}. Try again.`,
      );
    }
  }

  function cancelSale(): Promise<void> {
    return guard.run(async () => {
      setProblem(null);
      if (cardPayments.length > 0) {
        const voided = await voidCardPayments({ api: terminal.api, cart }, cardPayments);
        if (!voided.ok) {
          setProblem(voided.message);
          return;
        }
      }
      await cart.clear();
      await forgetDiscountApproval(db);
      navigate({ screen: 'sell' });
    });
  }

  // Sold: the receipt is on its way; the emptied cart is not "nothing to pay".
  if (soldId !== null) return <p className="screen-message">Sale saved.</p>;
  if (lines.length === 0) return <EmptyCartNote />;
  const paidByCard = total - remaining;
  return (
    <section className="tender-screen tender-split" aria-labelledby="tender-title">
      <h1 id="tender-title">
        Pay · due <span data-testid="amount-due">{formatMoney(remaining, currency)}</span>
      </h1>
      {cardPayments.length > 0 && (
        <ul className="tender-paid" aria-label="Paid by card" data-testid="card-payments">
          {cardPayments.map((payment) => (
            <li key={payment.paymentIntentId}>
              Card {payment.brand ?? ''} {payment.last4 ? `•••• ${payment.last4}` : ''}{' '}
              <strong>{formatMoney(payment.amount, currency)}</strong>
              {payment.partial ? ' (partly approved)' : ''}
            </li>
          ))}
          <li className="hint">
            Total {formatMoney(total, currency)}; cards paid {formatMoney(paidByCard, currency)}.
          </li>
        </ul>
      )}
      <div className="tender-columns">
        <CardTender
          terminal={terminal}
          remaining={remaining}
          currency={currency}
          busy={busy}
          onPaid={(left) => {
            if (left === 0) void complete(undefined);
          }}
        />
        <section className="tender-cash" aria-labelledby="cash-tender-title">
          <h2 id="cash-tender-title">
            Cash{' '}
            <span className="hint" data-testid="cash-due">
              {formatMoney(payable, currency)}
            </span>
          </h2>
          {rounding !== 0 && (
            <p className="hint" data-testid="cash-rounding">
              Rounded to {formatMoney(increment, currency)} coins: {rounding > 0 ? '+' : '−'}
              {formatMoney(Math.abs(rounding), currency)}
            </p>
          )}
          <div className="quick-tenders" role="group" aria-label="Quick cash amounts">
            {suggestCashTenders(payable, currency).map((amount, index) => (
              <button
                key={amount}
                type="button"
                className="button button-big"
                disabled={busy}
                aria-keyshortcuts={index === 0 ? 'F5' : undefined}
                onClick={() => void complete(amount)}
              >
                {index === 0
                  ? `Exact ${formatMoney(amount, currency)}`
                  : formatMoney(amount, currency)}
              </button>
            ))}
          </div>
          <form
            className="tender-form"
            onSubmit={(event) => {
              event.preventDefault();
              // Enter on an empty field is the exact amount: the commonest cash sale.
              if (typed === '') void complete(payable);
              else if (tendered !== null && tender?.ok) void complete(tendered);
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
                  <strong data-testid="change-preview">
                    {formatMoney(tender.change, currency)}
                  </strong>
                </>
              )}
              {tender?.ok === false && `${formatMoney(tender.short, currency)} more is needed.`}
            </p>
            <button
              type="submit"
              className="button button-primary button-big"
              disabled={busy || (typed !== '' && tender?.ok !== true)}
            >
              Complete sale
            </button>
          </form>
        </section>
      </div>
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
      <div className="tender-buttons">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => {
            if (!guard.isRunning()) navigate({ screen: 'sell' });
          }}
        >
          Back
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void cancelSale()}>
          {cardPayments.length > 0 ? 'Cancel sale and refund the card' : 'Cancel sale'}
        </button>
      </div>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
    </section>
  );
}
