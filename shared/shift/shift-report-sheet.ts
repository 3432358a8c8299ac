import { formatMoney } from '../money.ts';
import { PRODUCT_KIND_LABELS } from '../schemas/product.ts';
import { denominationLabel, denominationsOf } from './denominations.ts';
import { parseDenominationCounts } from './shift-events.ts';
import type { ShiftReport } from './shift-report.ts';
import { formatVariance, varianceOutcome } from './shift-report.ts';

export type SheetRow = {
  readonly label: string;
  readonly value: string;
  /** Printed bold / shown strong: the figures a manager looks for first. */
  readonly strong?: boolean;
};
export type SheetSection = { readonly heading: string; readonly rows: readonly SheetRow[] };

/**
 * An X- or Z-report as text, like the receipt model (shared/receipt/receipt-model.ts): the
 * screen, the printed page and the thermal printer all show this, so they never disagree.
 */
export type ShiftReportSheet = {
  readonly title: string;
  readonly storeName: string;
  readonly terminalName: string;
  /** ISO instants; each output formats them for its reader. */
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly madeAt: string;
  readonly sections: readonly SheetSection[];
  /** Z only: "−€1.50 short", and which way it went. */
  readonly variance: {
    readonly text: string;
    readonly outcome: 'short' | 'over' | 'exact';
  } | null;
};

export type SheetContext = {
  readonly storeName: string;
  readonly terminalName: string;
  /** The staff member's name, or the id when this terminal does not know them. */
  readonly staffName: (staffId: string | null) => string;
};

export function shiftReportSheet(report: ShiftReport, context: SheetContext): ShiftReportSheet {
  // A deduction of nothing is "€0.00", never "−€0.00".
  const money = (amount: number): string =>
    amount < 0
      ? `−${formatMoney(-amount, report.currency)}`
      : formatMoney(Math.abs(amount), report.currency);
  const sections: SheetSection[] = [
    {
      heading: 'Shift',
      rows: [
        { label: 'Opened by', value: context.staffName(report.openedBy) },
        ...(report.closedAt
          ? [{ label: 'Closed by', value: context.staffName(report.closedBy) }]
          : []),
        { label: 'Sales', value: String(report.sales.count) },
        { label: 'First receipt', value: report.sales.firstReceipt ?? '—' },
        { label: 'Last receipt', value: report.sales.lastReceipt ?? '—' },
      ],
    },
    {
      heading: 'Takings',
      rows: [
        { label: 'Sales total', value: money(report.sales.total), strong: true },
        { label: 'Cash', value: money(report.tenders.cash) },
        { label: 'Card', value: money(report.tenders.card) },
        ...(report.cashRounding === 0
          ? []
          : [{ label: 'Cash rounding', value: money(report.cashRounding) }]),
        {
          label: `Discounts (${String(report.discounts.count)})`,
          value: money(report.discounts.amount),
        },
        {
          label: `Voids (${String(report.voids.count)})`,
          value: money(-report.voids.amount),
        },
        {
          label: `Refunds (${String(report.refunds.count)})`,
          value: money(-report.refunds.amount),
        },
        { label: 'Net sales', value: money(report.netTotal), strong: true },
      ],
    },
    {
      heading: 'Cash drawer',
      rows: [
        { label: 'Float', value: money(report.float) },
        { label: 'Cash taken', value: money(report.tenders.cash + report.cashRounding) },
        { label: 'Cash handed back for voids', value: money(-report.voids.cash) },
        { label: 'Cash refunds', value: money(-report.refunds.cash) },
        ...report.cashMoves.map((move) => ({
          label: `${move.kind === 'cash_in' ? 'Cash in' : 'Cash out'}: ${move.reason}`,
          value: money(move.kind === 'cash_in' ? move.amount : -move.amount),
        })),
        ...(report.drawerOpens > 0
          ? [{ label: 'Drawer opened without a sale', value: String(report.drawerOpens) }]
          : []),
        { label: 'Expected in the drawer', value: money(report.expectedCash), strong: true },
        ...(report.close
          ? [
              { label: 'Counted', value: money(report.close.countedCash), strong: true },
              {
                label: 'Variance',
                value: formatVariance(report.close.variance, report.currency),
                strong: true,
              },
            ]
          : []),
      ],
    },
  ];
  if (report.close && report.close.counts !== '') {
    const counts = parseDenominationCounts(report.close.counts);
    const known = new Map(
      denominationsOf(report.currency).map((denomination) => [denomination.value, denomination]),
    );
    sections.push({
      heading: 'Count',
      rows: [...counts].map(([value, count]) => ({
        label: `${String(count)} × ${denominationLabel(known.get(value) ?? { value, kind: 'coin' }, report.currency)}`,
        value: money(value * count),
      })),
    });
  }
  if (report.byProduct.length > 0) {
    sections.push({
      heading: 'By product',
      rows: report.byProduct.map((product) => ({
        label: `${String(product.quantity)} × ${product.name}`,
        value: money(product.total),
      })),
    });
  }
  if (report.byStaff.length > 0) {
    sections.push({
      heading: 'By staff',
      rows: report.byStaff.map((staff) => ({
        label: `${context.staffName(staff.staffId)} (${String(staff.count)})`,
        value: money(staff.total),
      })),
    });
  }
  if (report.entitlements.length > 0) {
    sections.push({
      heading: 'Codes issued',
      rows: report.entitlements.map((entry) => ({
        label: PRODUCT_KIND_LABELS[entry.kind],
        value: String(entry.count),
      })),
    });
  }
  return {
    title: report.kind === 'X' ? 'X-report' : 'Z-report',
    storeName: context.storeName,
    terminalName: context.terminalName,
    openedAt: report.openedAt,
    closedAt: report.closedAt,
    madeAt: report.madeAt,
    sections,
    variance: report.close
      ? {
          text: formatVariance(report.close.variance, report.currency),
          outcome: varianceOutcome(report.close.variance),
        }
      : null,
  };
}
