import { useState } from 'react';
import type { ShiftReportSheet } from '../../shared/shift/shift-report-sheet.ts';
import { formatReceiptInstant } from '../../shared/receipt/escpos.ts';
import { encodeShiftReportEscPos } from '../../shared/receipt/shift-report-escpos.ts';
import { usePos } from '../app/pos-context.ts';
import { printPageOn } from '../receipt/print-receipt.ts';
import { usePrinterChoice } from '../settings/printer-settings.ts';

/** An X- or Z-report as a printable page: the sheet's sections as two-column tables. */
export function ShiftReportView({ sheet }: { sheet: ShiftReportSheet }) {
  return (
    <article className="receipt shift-report" data-testid="shift-report" aria-label={sheet.title}>
      <header>
        <h2>{sheet.title}</h2>
        <p>
          {sheet.storeName} · {sheet.terminalName}
        </p>
        <p className="muted">
          Opened {formatReceiptInstant(sheet.openedAt)}
          {sheet.closedAt && ` · closed ${formatReceiptInstant(sheet.closedAt)}`} · made{' '}
          {formatReceiptInstant(sheet.madeAt)}
        </p>
      </header>
      {sheet.variance && (
        <p className={`variance variance-${sheet.variance.outcome}`} data-testid="z-variance">
          Variance {sheet.variance.text} ({sheet.variance.outcome})
        </p>
      )}
      {sheet.sections.map((section) => (
        <table key={section.heading} className="report-table">
          <caption>{section.heading}</caption>
          <tbody>
            {section.rows.map((row, index) => (
              <tr
                key={`${row.label}-${String(index)}`}
                className={row.strong ? 'strong' : undefined}
              >
                <th scope="row">{row.label}</th>
                <td>{row.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </article>
  );
}

/** "Print" for a report: the receipt printer chosen in Settings, like a receipt. */
export function PrintReportButton({ sheet }: { sheet: ShiftReportSheet }) {
  const { bridge, appInfo } = usePos();
  const printer = usePrinterChoice();
  const [outcome, setOutcome] = useState<string | null>(null);
  const [printing, setPrinting] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-primary"
        disabled={printing}
        onClick={() => {
          setPrinting(true);
          setOutcome(null);
          void printPageOn(
            printer,
            (columns) => encodeShiftReportEscPos(sheet, { columns }),
            bridge,
            { desktop: appInfo.shell === 'electron' },
          ).then((result) => {
            setPrinting(false);
            if (!result.ok) setOutcome(result.message);
            else if (result.pdfPath) setOutcome(`Saved as ${result.pdfPath}`);
            else if (printer.kind === 'network' || printer.kind === 'installed')
              setOutcome(`${sheet.title} printed.`);
          });
        }}
      >
        Print {sheet.title}
      </button>
      {outcome && (
        <span role="status" className="muted">
          {outcome}
        </span>
      )}
    </>
  );
}
