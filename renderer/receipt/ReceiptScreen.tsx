import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { defer, type Observable } from 'rxjs';
import { formatMoney } from '../../shared/money.ts';
import { formatReceiptInstant } from '../../shared/receipt/escpos.ts';
import { buildReceipt, type Receipt } from '../../shared/receipt/receipt-model.ts';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import { navigate } from '../app/route.ts';
import { usePos } from '../app/pos-context.ts';
import { useStaff } from '../staff/staff-context.ts';
import { useObservable } from '../app/use-observable.ts';
import {
  refundsOfSale$,
  sale$,
  statusesOfSale$,
  templatesOfSale$,
  voidOfSale$,
} from '../history/queries.ts';
import { RefundedBanner } from '../history/RefundedBanner.tsx';
import {
  claimAutoPrint,
  claimPrintRequest,
  usePrinterChoice,
} from '../settings/printer-settings.ts';
import { saleSettled } from '../checkout/after-sale.ts';
import { CodeCard } from './CodeCard.tsx';
import { freshSaleFor } from './fresh-receipt.ts';
import { afterNextPaint } from '../app/after-paint.ts';
import { printReceiptOn } from './print-receipt.ts';

type PrintOutcome = { ok: boolean; text: string };

const NO_REFUNDS: SaleRefund[] = [];
const NO_STATUSES: ReadonlyMap<string, EntitlementStatus> = new Map();

export function ReceiptScreen({ saleId, fresh }: { saleId: string; fresh: boolean }) {
  const { db, credentials, bridge, appInfo } = usePos();
  const { staff } = useStaff();
  // A sale just completed in this window is shown from memory until its queries answer. Those
  // queries start once its receipt has been painted: subscribing reads IndexedDB and, with React
  // running the effects of the route change at once, would delay that first paint.
  const handed = useMemo(() => freshSaleFor(saleId), [saleId]);
  const queries = useMemo(() => {
    const live = <T,>(query: () => Observable<T>) =>
      handed === null ? query() : afterNextPaint(defer(query));
    return {
      sale: live(() => sale$(db, saleId)),
      statuses: live(() => statusesOfSale$(db, saleId)),
      templates: live(() => templatesOfSale$(db, saleId)),
      saleVoid: live(() => voidOfSale$(db, saleId)),
      refunds: live(() => refundsOfSale$(db, saleId)),
    };
  }, [db, saleId, handed]);
  const sale = useObservable<Sale | null | undefined>(queries.sale, handed?.sale);
  const statuses = useObservable<ReadonlyMap<string, EntitlementStatus>>(
    queries.statuses,
    NO_STATUSES,
  );
  // undefined until the catalogue answered: a receipt printed before would miss the validity.
  const templates = useObservable<ReadonlyMap<string, ProductTemplate | null> | undefined>(
    queries.templates,
    handed?.templates,
  );
  const saleVoid = useObservable(queries.saleVoid, null);
  const refunds = useObservable(queries.refunds, NO_REFUNDS);
  const printer = usePrinterChoice();
  const [printOutcome, setPrintOutcome] = useState<PrintOutcome | null>(null);
  const [printing, setPrinting] = useState(false);
  const desktop = appInfo.shell === 'electron';

  const receipt = useMemo(
    () =>
      sale && templates
        ? buildReceipt({
            sale,
            store: { name: credentials.storeName },
            terminalName: credentials.terminalName,
            servedBy: staff?.find((member) => member.id === sale.staffId)?.name ?? null,
            redeemBaseUrl: credentials.redeemBaseUrl,
            templates,
            statuses,
            voided: saleVoid,
            refunds,
          })
        : null,
    [sale, templates, statuses, saleVoid, refunds, credentials, staff],
  );

  const print = useCallback(
    async (target: Receipt, openDrawer: boolean) => {
      setPrinting(true);
      setPrintOutcome(null);
      const result = await printReceiptOn(printer, target, bridge, { openDrawer, desktop });
      setPrinting(false);
      if (!result.ok) setPrintOutcome({ ok: false, text: result.message });
      else if (result.pdfPath) setPrintOutcome({ ok: true, text: `Saved as ${result.pdfPath}` });
      else if (printer.kind === 'network' || printer.kind === 'installed')
        setPrintOutcome({ ok: true, text: 'Receipt printed.' });
    },
    [printer, bridge, desktop],
  );

  // A fresh sale prints by itself once when a printer is chosen (and opens the drawer for
  // cash); Sales → Reprint asks for one print of an older sale, without the drawer.
  useEffect(() => {
    if (receipt === null) return;
    let openDrawer: boolean | null = null;
    if (claimPrintRequest(saleId)) openDrawer = false;
    else if (fresh && printer.kind !== 'none' && claimAutoPrint(saleId))
      openDrawer = receipt.paidInCash;
    // The print talks to a device; its progress is shown once the render is done.
    if (openDrawer !== null) void Promise.resolve(openDrawer).then((open) => print(receipt, open));
  }, [receipt, saleId, fresh, printer, print]);

  if (sale === undefined || (sale !== null && receipt === null)) {
    return <p className="screen-message">Loading the sale…</p>;
  }
  if (sale === null || receipt === null) {
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
          disabled={printing}
          onClick={() => void print(receipt, false)}
        >
          Print receipt
        </button>
        {desktop && (
          <button
            type="button"
            className="button"
            onClick={() => {
              void bridge
                .printReceipt({ mode: 'pdf', fileName: `receipt-${receipt.receiptNumber}` })
                .then((result) => {
                  setPrintOutcome(
                    result.ok
                      ? { ok: true, text: `Saved as ${result.pdfPath ?? 'a PDF'}` }
                      : { ok: false, text: result.message },
                  );
                });
            }}
          >
            Save as PDF
          </button>
        )}
        {fresh ? (
          <button
            type="button"
            className="button button-primary"
            autoFocus
            onClick={() => {
              // The sold cart is emptied while the receipt shows: never show it again.
              void saleSettled(saleId).then(() => {
                navigate({ screen: 'sell' });
              });
            }}
          >
            New sale
          </button>
        ) : (
          <button type="button" className="button" onClick={() => navigate({ screen: 'sales' })}>
            Back to sales
          </button>
        )}
        {printing && <p role="status">Printing…</p>}
        {printOutcome && (
          <div
            role={printOutcome.ok ? 'status' : 'alert'}
            className={printOutcome.ok ? 'print-outcome' : 'print-outcome error'}
            data-testid="print-outcome"
          >
            <p>{printOutcome.text}</p>
            {!printOutcome.ok && (
              <button
                type="button"
                className="button"
                disabled={printing}
                onClick={() => void print(receipt, false)}
              >
                Retry
              </button>
            )}
          </div>
        )}
      </div>
      <ReceiptView receipt={receipt} statuses={statuses}>
        {/* Inside the receipt, like the VOIDED banner: on screen, on paper and in a PDF. */}
        <RefundedBanner sale={sale} />
      </ReceiptView>
    </section>
  );
}

/** The receipt itself: what the screen shows and what an HTML print or PDF puts on paper. */
function ReceiptView({
  receipt,
  statuses,
  children,
}: {
  receipt: Receipt;
  statuses: ReadonlyMap<string, EntitlementStatus>;
  /** Banners above the header (refunds). */
  children?: ReactNode;
}) {
  const { totals } = receipt;
  return (
    <article className="receipt">
      {children}
      {receipt.voided && (
        <div className="voided-banner" role="status" data-testid="voided-banner">
          VOIDED
          <small>
            {new Date(receipt.voided.at).toLocaleString()} · {receipt.voided.reason}
          </small>
        </div>
      )}
      <header>
        <h1 id="receipt-title">{receipt.storeName}</h1>
        <p>
          Receipt <span data-testid="receipt-number">{receipt.receiptNumber}</span> ·{' '}
          {formatReceiptInstant(receipt.createdAt)} · {receipt.terminalName}
        </p>
        {receipt.servedBy !== null && <p data-testid="served-by">Served by {receipt.servedBy}</p>}
      </header>
      <table className="receipt-lines">
        <tbody>
          {receipt.lines.map((line) => (
            <tr key={line.lineId}>
              <td>
                {line.label}
                {line.discount !== null && (
                  <div className="line-discount" data-testid="line-discount">
                    {line.discount}
                    {line.listAmount !== null && <s> {line.listAmount}</s>}
                  </div>
                )}
                {line.giftNote !== null && (
                  <div className="gift-note" data-testid="gift-note">
                    {line.giftNote}
                  </div>
                )}
              </td>
              <td className="amount">{line.amount}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {(totals.discounts !== null || totals.taxes.length > 0) && (
            <tr>
              <td>Subtotal</td>
              <td className="amount">{totals.subtotal}</td>
            </tr>
          )}
          {totals.discounts !== null && (
            <tr>
              <td>{totals.discounts.label}</td>
              <td className="amount">{totals.discounts.amount}</td>
            </tr>
          )}
          {totals.taxes.map((tax) => (
            <tr key={tax.label} data-testid="tax-row">
              <td>{tax.label}</td>
              <td className="amount">{tax.amount}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Total</th>
            <td className="amount">{totals.total}</td>
          </tr>
          {receipt.payments.map((payment, index) => (
            <tr key={index} className="receipt-payment">
              <td>
                {payment.label}
                {payment.details.map((detail) => (
                  <div key={detail} className="payment-detail">
                    {detail}
                  </div>
                ))}
              </td>
              <td className="amount">{payment.amount}</td>
            </tr>
          ))}
        </tfoot>
      </table>
      {receipt.codes.length > 0 && (
        <>
          <h2>Your codes</h2>
          <p className="receipt-hint">
            Scan a QR code or type the code to redeem it online. Keep this receipt.
          </p>
        </>
      )}
      <ul className="code-list">
        {receipt.codes.map((code) => (
          <CodeCard
            key={code.code}
            code={code}
            consumedAt={statuses.get(code.code)?.consumedAt ?? null}
          />
        ))}
      </ul>
    </article>
  );
}
