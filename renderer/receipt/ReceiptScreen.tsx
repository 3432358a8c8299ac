import { useMemo, useState } from 'react';
import type { PrintRequest } from '../../electron/bridge-contract.ts';
import { formatMoney } from '../../shared/money.ts';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import { navigate } from '../app/route.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { giftReceiptNote } from '../../shared/sale/gift.ts';
import { codeCardNotes } from '../../shared/templates/summary.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import { sale$, statusesOfSale$, templatesOfSale$, voidOfSale$ } from '../history/queries.ts';
import { CodeCard } from './CodeCard.tsx';

export function ReceiptScreen({ saleId, fresh }: { saleId: string; fresh: boolean }) {
  const { db, credentials, bridge, appInfo } = usePos();
  const sale = useObservable(
    useMemo(() => sale$(db, saleId), [db, saleId]),
    undefined,
  );
  const statuses = useObservable(
    useMemo(() => statusesOfSale$(db, saleId), [db, saleId]),
    new Map<string, EntitlementStatus>(),
  );
  const templates = useObservable(
    useMemo(() => templatesOfSale$(db, saleId), [db, saleId]),
    new Map<string, ProductTemplate | null>(),
  );
  const saleVoid = useObservable(
    useMemo(() => voidOfSale$(db, saleId), [db, saleId]),
    null,
  );
  const [printOutcome, setPrintOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  if (sale === undefined) return <p className="screen-message">Loading the sale…</p>;
  if (sale === null) {
    return (
      <div className="screen-message" role="alert">
        This sale is not on this terminal. <a href="#/sales">Open the sales list</a>
      </div>
    );
  }
  const change = sale.payments.reduce(
    (sum, payment) => sum + (payment.method === 'cash' ? payment.change : 0),
    0,
  );

  async function print(request: PrintRequest) {
    const result = await bridge.printReceipt(request);
    if (!result.ok) setPrintOutcome({ ok: false, text: result.message });
    else if (result.pdfPath) setPrintOutcome({ ok: true, text: `Saved as ${result.pdfPath}` });
    else setPrintOutcome(null);
  }
  const desktop = appInfo.shell === 'electron';
  const receiptNumber = sale.receiptNumber;

  return (
    <section className="receipt-screen" aria-labelledby="receipt-title">
      <div className="receipt-actions no-print">
        {fresh && (
          <div className="change-due" data-testid="change-due">
            Change due <strong>{formatMoney(change, sale.currency)}</strong>
          </div>
        )}
        <button
          type="button"
          className="button"
          onClick={() => void print(desktop ? { mode: 'silent' } : { mode: 'dialog' })}
        >
          Print receipt
        </button>
        {desktop && (
          <button
            type="button"
            className="button"
            onClick={() => void print({ mode: 'pdf', fileName: `receipt-${receiptNumber}` })}
          >
            Save as PDF
          </button>
        )}
        {fresh ? (
          <button
            type="button"
            className="button button-primary"
            autoFocus
            onClick={() => navigate({ screen: 'sell' })}
          >
            New sale
          </button>
        ) : (
          <button type="button" className="button" onClick={() => navigate({ screen: 'sales' })}>
            Back to sales
          </button>
        )}
        {printOutcome && (
          <p role={printOutcome.ok ? 'status' : 'alert'} className={printOutcome.ok ? '' : 'error'}>
            {printOutcome.text}
          </p>
        )}
      </div>
      <article className="receipt">
        {saleVoid && (
          <div className="voided-banner" role="status" data-testid="voided-banner">
            VOIDED
            <small>
              {new Date(saleVoid.createdAt).toLocaleString()} · {saleVoid.reason}
            </small>
          </div>
        )}
        <header>
          <h1 id="receipt-title">{credentials.storeName}</h1>
          <p>
            Receipt <span data-testid="receipt-number">{sale.receiptNumber}</span> ·{' '}
            {new Date(sale.createdAt).toLocaleString()} · {credentials.terminalName}
          </p>
        </header>
        <table className="receipt-lines">
          <tbody>
            {sale.lines.map((line) => (
              <tr key={line.lineId}>
                <td>
                  {line.quantity} × {line.name}
                  {line.gift && (
                    <div className="gift-note" data-testid="gift-note">
                      {giftReceiptNote(line.gift)}
                    </div>
                  )}
                </td>
                <td className="amount">{formatMoney(line.lineTotal, sale.currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="amount">{formatMoney(sale.total, sale.currency)}</td>
            </tr>
            {sale.payments.map((payment, index) =>
              payment.method === 'cash' ? (
                <tr key={index}>
                  <td>Cash {formatMoney(payment.tendered, sale.currency)}</td>
                  <td className="amount">Change {formatMoney(payment.change, sale.currency)}</td>
                </tr>
              ) : (
                <tr key={index}>
                  <td>
                    Card {payment.brand ?? ''} {payment.last4 ? `•••• ${payment.last4}` : ''}
                  </td>
                  <td className="amount">{formatMoney(payment.amount, sale.currency)}</td>
                </tr>
              ),
            )}
          </tfoot>
        </table>
        <h2>Your codes</h2>
        <p className="receipt-hint">
          Scan a QR code or type the code to redeem it online. Keep this receipt.
        </p>
        <ul className="code-list">
          {sale.lines.flatMap((line) => {
            const notes = codeCardNotes(templates.get(line.productId) ?? null, sale.createdAt);
            return line.codes.map((code) => {
              const status = statuses.get(code);
              return (
                <CodeCard
                  key={code}
                  code={code}
                  productName={line.name}
                  redeemBase={credentials.redeemBaseUrl}
                  state={status?.state ?? 'issued'}
                  consumedAt={status?.consumedAt ?? null}
                  notes={notes}
                />
              );
            });
          })}
        </ul>
      </article>
    </section>
  );
}
