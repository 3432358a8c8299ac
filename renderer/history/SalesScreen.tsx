import { Fragment, useMemo, useState } from 'react';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { formatMoney } from '../../shared/money.ts';
import { hrefOf, navigate } from '../app/route.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import type { SyncAckDoc } from '../data/local-schemas.ts';
import { acks$, refundsSince$, salesSince$, startOfDay, voidsSince$ } from './queries.ts';
import { refundStateOf } from './refund-state.ts';
import { VoidForm } from './VoidForm.tsx';
import { voidRefusal } from '../../shared/sale/void-rule.ts';
import { ResendForm } from '../receipt/ResendForm.tsx';
import { requestPrint } from '../settings/printer-settings.ts';

const PERIODS = [
  { label: 'Today', daysBack: 0 },
  { label: 'Last 7 days', daysBack: 6 },
  { label: 'Last 30 days', daysBack: 29 },
] as const;

function syncLabel(ack: SyncAckDoc | undefined): { text: string; className: string } {
  if (!ack) return { text: 'Waiting to sync', className: 'pill-off' };
  if (ack.outcome === 'accepted') return { text: 'Synced', className: 'pill-ok' };
  return { text: `Refused: ${ack.reason ?? 'no reason given'}`, className: 'pill-bad' };
}

/** A refund, like a void, is pushed on its own and may be refused while the sale stays synced. */
function refundSyncLabel(ack: SyncAckDoc | undefined): { text: string; className: string } | null {
  if (!ack) return { text: 'Refund waiting to sync', className: 'pill-off' };
  if (ack.outcome === 'accepted') return null;
  return { text: `Refund refused: ${ack.reason ?? 'no reason given'}`, className: 'pill-bad' };
}

/** A void is pushed on its own, so the server can refuse it while the sale stays synced. */
function voidSyncLabel(ack: SyncAckDoc | undefined): { text: string; className: string } | null {
  if (!ack) return { text: 'Void waiting to sync', className: 'pill-off' };
  if (ack.outcome === 'accepted') return null;
  return { text: `Void refused: ${ack.reason ?? 'no reason given'}`, className: 'pill-bad' };
}

export function SalesScreen() {
  const { db } = usePos();
  const [daysBack, setDaysBack] = useState<number>(0);
  const sales = useObservable(
    useMemo(() => salesSince$(db, startOfDay(new Date(), daysBack)), [db, daysBack]),
    [],
  );
  const acks = useObservable(
    useMemo(() => acks$(db), [db]),
    new Map<string, SyncAckDoc>(),
  );
  const voids = useObservable(
    useMemo(() => voidsSince$(db, startOfDay(new Date(), daysBack)), [db, daysBack]),
    new Map<string, SaleVoid>(),
  );
  const refunds = useObservable(
    useMemo(() => refundsSince$(db, startOfDay(new Date(), daysBack)), [db, daysBack]),
    new Map<string, SaleRefund[]>(),
  );
  // Which sale's void confirmation is open: short-lived UI state, nothing is written until confirmed.
  const [voiding, setVoiding] = useState<string | null>(null);
  const [resending, setResending] = useState<string | null>(null);
  return (
    <section className="sales-screen" aria-labelledby="sales-title">
      <h1 id="sales-title">Sales on this terminal</h1>
      <div className="period-picker" role="group" aria-label="Period">
        {PERIODS.map((period) => (
          <button
            key={period.daysBack}
            type="button"
            className="button"
            aria-pressed={daysBack === period.daysBack}
            onClick={() => setDaysBack(period.daysBack)}
          >
            {period.label}
          </button>
        ))}
      </div>
      {sales.length === 0 ? (
        <p className="empty">No sales in this period.</p>
      ) : (
        <table className="sales-table">
          <thead>
            <tr>
              <th scope="col">Receipt</th>
              <th scope="col">Time</th>
              <th scope="col">Items</th>
              <th scope="col" className="amount">
                Total
              </th>
              <th scope="col">Sync</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sales.map((sale) => {
              const label = syncLabel(acks.get(sale.id));
              const saleVoid = voids.get(sale.id);
              const voidLabel = saleVoid ? voidSyncLabel(acks.get(saleVoid.id)) : null;
              const refunded = refundStateOf(sale, refunds.get(sale.id) ?? []);
              return (
                <Fragment key={sale.id}>
                  <tr data-testid="sale-row" data-receipt={sale.receiptNumber}>
                    <td>
                      <a href={hrefOf({ screen: 'receipt', saleId: sale.id, fresh: false })}>
                        {sale.receiptNumber}
                      </a>{' '}
                      {saleVoid && (
                        <span
                          className="pill pill-bad"
                          data-testid="voided-badge"
                          title={`Voided: ${saleVoid.reason}`}
                        >
                          Voided
                        </span>
                      )}
                      {refunded.kind !== 'none' && (
                        <span className="pill pill-off" data-testid="refunded-badge">
                          {refunded.kind === 'whole' ? 'Refunded' : 'Partly refunded'}{' '}
                          {formatMoney(refunded.amount, sale.currency)}
                        </span>
                      )}
                    </td>
                    <td>{new Date(sale.createdAt).toLocaleString()}</td>
                    <td>
                      {sale.lines
                        .map((line) => `${String(line.quantity)} × ${line.name}`)
                        .join(', ')}
                    </td>
                    <td className="amount">{formatMoney(sale.total, sale.currency)}</td>
                    <td>
                      <span className={`pill ${label.className}`}>{label.text}</span>{' '}
                      {voidLabel && (
                        <span className={`pill ${voidLabel.className}`} data-testid="void-sync">
                          {voidLabel.text}
                        </span>
                      )}
                      {(refunds.get(sale.id) ?? []).map((refund) => {
                        const refundLabel = refundSyncLabel(acks.get(refund.id));
                        return (
                          refundLabel && (
                            <span
                              key={refund.id}
                              className={`pill ${refundLabel.className}`}
                              data-testid="refund-sync"
                            >
                              {refundLabel.text}
                            </span>
                          )
                        );
                      })}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button"
                        aria-label={`Reprint receipt ${sale.receiptNumber}`}
                        onClick={() => {
                          // The receipt screen prints it: the page an HTML print puts on paper.
                          requestPrint(sale.id);
                          navigate({ screen: 'receipt', saleId: sale.id, fresh: false });
                        }}
                      >
                        Reprint
                      </button>{' '}
                      <button
                        type="button"
                        className="button"
                        aria-label={`Resend e-mail of receipt ${sale.receiptNumber}`}
                        onClick={() => setResending(sale.id)}
                      >
                        Resend e-mail
                      </button>{' '}
                      {!saleVoid && refunded.kind !== 'whole' && (
                        <a
                          className="button"
                          href={hrefOf({ screen: 'refund', saleId: sale.id })}
                          aria-label={`Refund… receipt ${sale.receiptNumber}`}
                        >
                          Refund…
                        </a>
                      )}{' '}
                      {!saleVoid &&
                        voiding !== sale.id &&
                        voidRefusal(sale, refunded.kind !== 'none') === null && (
                          <button
                            type="button"
                            className="button"
                            aria-label={`Void… receipt ${sale.receiptNumber}`}
                            onClick={() => setVoiding(sale.id)}
                          >
                            Void…
                          </button>
                        )}
                    </td>
                  </tr>
                  {!saleVoid && voiding === sale.id && (
                    <tr className="void-row">
                      <td colSpan={6}>
                        <VoidForm sale={sale} onDone={() => setVoiding(null)} />
                      </td>
                    </tr>
                  )}
                  {resending === sale.id && (
                    <tr className="resend-row">
                      <td colSpan={6}>
                        <ResendForm sale={sale} onDone={() => setResending(null)} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
