import { useMemo, useState } from 'react';
import { formatMoney, sumMoney } from '../../shared/money.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { hrefOf } from '../app/route.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { createApiClient } from '../sync/api-client.ts';
import { refundsOfSale$, sale$, voidOfSale$ } from './queries.ts';
import { useRequestApproval } from '../approval/approval-context.ts';
import { ReasonField } from '../audit/ReasonField.tsx';
import { recordAudit } from '../audit/record-audit.ts';
import { useSignedInStaff } from '../staff/staff-context.ts';
import { RefundProblem, describeRefundResult, refundIdOf, refundSale } from './refund-sale.ts';
import { describeRefundTenders, planRefundTenders } from './refund-tenders.ts';

const NO_REFUNDS: SaleRefund[] = [];

/**
 * Refund after the sale is closed: tick whole lines (or "Refund everything"), say why, read how
 * the money goes back, confirm. Online the server is asked first whether the codes are unused;
 * offline the refund is recorded and applied when the terminal syncs — the screen says which.
 */
export function RefundScreen(props: { saleId: string }) {
  const { db, credentials } = usePos();
  const staff = useSignedInStaff();
  const requestApproval = useRequestApproval();
  const sale = useObservable(
    useMemo(() => sale$(db, props.saleId), [db, props.saleId]),
    null,
  );
  const refunds = useObservable(
    useMemo(() => refundsOfSale$(db, props.saleId), [db, props.saleId]),
    NO_REFUNDS,
  );
  const saleVoid = useObservable<SaleVoid | null>(
    useMemo(() => voidOfSale$(db, props.saleId), [db, props.saleId]),
    null,
  );
  // What is ticked and typed: short-lived UI state; nothing is written until confirmed.
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!sale) {
    return (
      <section className="refund-screen">
        <h1>Refund</h1>
        <p className="empty">This sale is not on this terminal.</p>
        <a className="button" href={hrefOf({ screen: 'sales' })}>
          Back to sales
        </a>
      </section>
    );
  }
  const refunded = new Set(refunds.flatMap((refund) => refund.lineIds));
  const open = sale.lines.filter((line) => !refunded.has(line.lineId));
  const picked = sale.lines.filter((line) => chosen.has(line.lineId));
  const amount = sumMoney(picked.map((line) => line.total));
  const tenders = amount > 0 ? planRefundTenders(sale, refunds, amount) : [];
  const money = (value: number) => formatMoney(value, sale.currency);

  const toggle = (lineId: string) => {
    const next = new Set(chosen);
    if (next.has(lineId)) next.delete(lineId);
    else next.add(lineId);
    setChosen(next);
    setProblem(null);
  };

  async function confirm() {
    if (!sale) return;
    if (reason.trim() === '') {
      setProblem('Say why the sale is refunded, for the audit.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const lineIds = picked.map((line) => line.lineId);
      // Money goes back: a manager approves it first (the signed-in one by PIN again).
      const approvedBy = await requestApproval({
        action: 'refund',
        subjectId: refundIdOf(sale.id, lineIds),
        summary: `Refund ${money(amount)} of receipt ${sale.receiptNumber}`,
      });
      if (approvedBy === null) return;
      const api = createApiClient({
        serverUrl: credentials.serverUrl,
        token: credentials.token,
        timeoutMs: 8_000,
      });
      const result = await refundSale(
        db,
        credentials,
        { saleId: sale.id, lineIds, reason, staffId: staff?.id ?? null, approvedBy },
        { api },
      );
      await recordAudit(db, credentials, {
        kind: 'refund',
        staffId: result.refund.staffId,
        subjectId: result.refund.id,
        detail: {
          saleId: result.refund.saleId,
          receiptNumber: result.refund.receiptNumber,
          amount: result.refund.amount,
          approvedBy,
        },
      });
      setDone(describeRefundResult(result, sale.currency));
      setChosen(new Set());
      setReason('');
    } catch (error) {
      setProblem(
        error instanceof RefundProblem
          ? error.message
          : `The refund was not saved: ${error instanceof Error ? error.message : String(error)}. Try again.`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="refund-screen" aria-labelledby="refund-title">
      <h1 id="refund-title">Refund receipt {sale.receiptNumber}</h1>
      {done && (
        <p role="status" className="banner" data-testid="refund-done">
          {done}
        </p>
      )}
      {saleVoid ? (
        <p className="empty">This sale was voided; there is nothing to refund.</p>
      ) : open.length === 0 ? (
        <p className="empty">Every line of this sale has been refunded.</p>
      ) : (
        <form
          className="refund-form"
          aria-label={`Refund receipt ${sale.receiptNumber}`}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void confirm();
          }}
        >
          <fieldset>
            <legend>Lines to refund (whole lines, with every code on them)</legend>
            <ul className="refund-lines">
              {sale.lines.map((line) => (
                <li key={line.lineId}>
                  <label>
                    <input
                      type="checkbox"
                      checked={chosen.has(line.lineId)}
                      disabled={refunded.has(line.lineId)}
                      onChange={() => toggle(line.lineId)}
                    />
                    <span>
                      {line.quantity} × {line.name}
                      {refunded.has(line.lineId) && <span className="muted"> — refunded</span>}
                    </span>
                    <span className="amount">{money(line.total)}</span>
                  </label>
                </li>
              ))}
            </ul>
            <button
              type="button"
              className="button"
              onClick={() => setChosen(new Set(open.map((line) => line.lineId)))}
            >
              Refund everything
            </button>
          </fieldset>
          <ReasonField
            id="refund-reason"
            required
            value={reason}
            onChange={(text) => {
              setReason(text);
              setProblem(null);
            }}
          />
          <p className="refund-summary" data-testid="refund-summary" aria-live="polite">
            {amount > 0 ? (
              <>
                <strong>{money(amount)}</strong> back: {describeRefundTenders(sale, tenders)}.
              </>
            ) : (
              'Tick the lines the customer brings back.'
            )}
          </p>
          <p className="muted">
            Their codes stop working. If the server cannot be reached the refund is recorded here
            and applied when this terminal syncs; card money then goes back from the server.
          </p>
          {problem && (
            <p role="alert" className="error field-error">
              {problem}
            </p>
          )}
          <div className="gift-buttons">
            <button
              type="submit"
              className="button button-danger button-big"
              disabled={busy || amount === 0}
            >
              {busy ? 'Refunding…' : `Refund ${money(amount)}`}
            </button>
            <a className="button" href={hrefOf({ screen: 'sales' })}>
              Back to sales
            </a>
          </div>
        </form>
      )}
      {(saleVoid || open.length === 0) && (
        <a className="button" href={hrefOf({ screen: 'sales' })}>
          Back to sales
        </a>
      )}
    </section>
  );
}
