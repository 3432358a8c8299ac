import type { AuditEvent } from '../audit/audit-event.ts';
import type { CurrencyCode, MinorUnits } from '../money.ts';
import { formatMoney } from '../money.ts';
import type { ProductKind } from '../schemas/product.ts';
import type { Sale } from '../schemas/sale.ts';
import type { SaleRefund } from '../schemas/sale-refund.ts';
import type { SaleVoid } from '../schemas/sale-void.ts';
import {
  CashMoveDetail,
  ShiftCloseDetail,
  ShiftOpenDetail,
  countedTotal,
  detailOf,
  formatDenominationCounts,
} from './shift-events.ts';

export type ShiftReportKind = 'X' | 'Z';

export type ShiftReportInput = {
  readonly shiftId: string;
  /** X: mid-shift, nothing counted. Z: after the close, with the count and the variance. */
  readonly kind: ShiftReportKind;
  /** When the report is made (ISO): the end of a still-open shift's window. */
  readonly now: string;
  /** The terminal's audit events; at least the shift's own, in any order. */
  readonly events: readonly AuditEvent[];
  /**
   * Sales to pick from: those with this shiftId are the shift's. Include the sales that the
   * shift's voids void even when they were sold in an earlier shift: the cash handed back for
   * them is taken from this drawer.
   */
  readonly sales: readonly Sale[];
  /** Voids and refunds to pick from (see factsOfShift for which are the shift's). */
  readonly voids: readonly SaleVoid[];
  readonly refunds: readonly SaleRefund[];
};

export type CashMove = {
  readonly kind: 'cash_in' | 'cash_out';
  readonly amount: MinorUnits;
  readonly reason: string;
  readonly staffId: string | null;
  readonly at: string;
};

export type ShiftReport = {
  readonly kind: ShiftReportKind;
  readonly shiftId: string;
  readonly storeId: string;
  readonly terminalId: string;
  readonly currency: string;
  readonly madeAt: string;
  readonly openedAt: string;
  readonly openedBy: string | null;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly float: MinorUnits;
  readonly sales: {
    readonly count: number;
    /** What customers paid, sum of sale totals (after discounts, tax included). */
    readonly total: MinorUnits;
    readonly firstReceipt: string | null;
    readonly lastReceipt: string | null;
  };
  /** What each tender settled of the sales (payment amounts, before cash rounding). */
  readonly tenders: { readonly cash: MinorUnits; readonly card: MinorUnits };
  /** Signed sum of cash rounding: what the drawer holds beyond the cash tender's amount. */
  readonly cashRounding: number;
  readonly discounts: { readonly count: number; readonly amount: MinorUnits };
  readonly voids: {
    readonly count: number;
    readonly amount: MinorUnits;
    /** Cash handed back from the drawer (the cash the voided sales had kept). */
    readonly cash: MinorUnits;
  };
  readonly refunds: {
    readonly count: number;
    readonly amount: MinorUnits;
    readonly cash: MinorUnits;
    readonly card: MinorUnits;
  };
  /** Sales total less voided and refunded amounts. */
  readonly netTotal: number;
  /** Largest first; the shift's sales, voided ones included (the void is listed on its own). */
  readonly byProduct: readonly {
    readonly productId: string;
    readonly name: string;
    readonly quantity: number;
    readonly total: MinorUnits;
  }[];
  readonly byStaff: readonly {
    readonly staffId: string | null;
    readonly count: number;
    readonly total: MinorUnits;
  }[];
  /** Codes issued by the shift's sales, per product kind. */
  readonly entitlements: readonly { readonly kind: ProductKind; readonly count: number }[];
  readonly cashMoves: readonly CashMove[];
  readonly cashIn: MinorUnits;
  readonly cashOut: MinorUnits;
  readonly drawerOpens: number;
  /**
   * float + cash kept from sales (tendered − change, so rounding included) − cash handed back
   * for voids − cash refunds + cash in − cash out.
   */
  readonly expectedCash: number;
  /** Z only: the count as recorded by the close. */
  readonly close: {
    readonly counts: string;
    readonly countedCash: MinorUnits;
    /** As it was when the drawer was counted (a fact arriving later does not rewrite it). */
    readonly expectedCash: number;
    readonly variance: number;
  } | null;
};

export class ShiftNotFound extends Error {}

/** The shift_open and (if any) shift_close events of a shift. */
export function shiftBounds(
  events: readonly AuditEvent[],
  shiftId: string,
): { open: AuditEvent; close: AuditEvent | null } {
  const open = events.find((event) => event.kind === 'shift_open' && event.subjectId === shiftId);
  if (!open) throw new ShiftNotFound(`No shift ${shiftId} was opened on this terminal.`);
  const close =
    events.find(
      (event) =>
        event.kind === 'shift_close' &&
        event.subjectId === shiftId &&
        event.terminalId === open.terminalId,
    ) ?? null;
  return { open, close };
}

/** The cash a sale put in the drawer: what was handed over less the change given. */
export function cashKept(sale: Pick<Sale, 'payments'>): number {
  let kept = 0;
  for (const payment of sale.payments) {
    if (payment.method === 'cash') kept += payment.amount + payment.rounding;
  }
  return kept;
}

/**
 * Which voids and refunds happened in the shift. They carry no shift id (v4 added it to sales
 * only), so their place in the terminal's audit chain decides: an audit event whose subject is
 * the fact, between the shift's open and close in seq order. A fact without such an event (a
 * crash between the two writes) falls back to the device clock: both instants come from the
 * same terminal's clock, so the window is as good as that clock.
 */
export function factsOfShift<T extends { id: string; terminalId: string; createdAt: string }>(
  facts: readonly T[],
  events: readonly AuditEvent[],
  bounds: { open: AuditEvent; close: AuditEvent | null },
  now: string,
): T[] {
  const { open, close } = bounds;
  const seqOfSubject = new Map<string, number>();
  for (const event of events) {
    if ((event.kind === 'void' || event.kind === 'refund') && event.subjectId !== null) {
      if (event.terminalId === open.terminalId) seqOfSubject.set(event.subjectId, event.seq);
    }
  }
  const until = close?.createdAt ?? now;
  return facts.filter((fact) => {
    if (fact.terminalId !== open.terminalId) return false;
    const seq = seqOfSubject.get(fact.id);
    if (seq !== undefined) return seq > open.seq && (close === null || seq < close.seq);
    return fact.createdAt >= open.createdAt && fact.createdAt <= until;
  });
}

function receiptOrder(receipt: string): number {
  return Number(receipt.slice(receipt.indexOf('-') + 1));
}

/**
 * The X- or Z-report of one shift, from the same facts on the counter and on the server. Pure:
 * give it the facts, it counts them; nothing is read from a clock or a database.
 */
export function buildShiftReport(input: ShiftReportInput): ShiftReport {
  const bounds = shiftBounds(input.events, input.shiftId);
  const { open, close } = bounds;
  const opening = detailOf(open, ShiftOpenDetail);
  if (!opening) throw new Error(`The opening of shift ${input.shiftId} has no valid float.`);

  const sales = input.sales
    .filter((sale) => sale.shiftId === input.shiftId)
    .sort((a, b) => receiptOrder(a.receiptNumber) - receiptOrder(b.receiptNumber));
  const salesById = new Map(input.sales.map((sale) => [sale.id, sale]));
  const voids = factsOfShift(input.voids, input.events, bounds, input.now);
  const refunds = factsOfShift(input.refunds, input.events, bounds, input.now);

  let cashTender = 0;
  let cardTender = 0;
  let cashRounding = 0;
  let discountCount = 0;
  let discountAmount = 0;
  const byProduct = new Map<
    string,
    { productId: string; name: string; quantity: number; total: number }
  >();
  const byStaff = new Map<
    string | null,
    { staffId: string | null; count: number; total: number }
  >();
  const entitlements = new Map<ProductKind, number>();
  for (const sale of sales) {
    for (const payment of sale.payments) {
      if (payment.method === 'cash') {
        cashTender += payment.amount;
        cashRounding += payment.rounding;
      } else cardTender += payment.amount;
    }
    if (sale.discountTotal > 0) {
      discountCount += 1;
      discountAmount += sale.discountTotal;
    }
    for (const line of sale.lines) {
      const product = byProduct.get(line.productId) ?? {
        productId: line.productId,
        name: line.name,
        quantity: 0,
        total: 0,
      };
      product.quantity += line.quantity;
      product.total += line.total;
      byProduct.set(line.productId, product);
      entitlements.set(line.kind, (entitlements.get(line.kind) ?? 0) + line.codes.length);
    }
    const staff = byStaff.get(sale.staffId) ?? { staffId: sale.staffId, count: 0, total: 0 };
    staff.count += 1;
    staff.total += sale.total;
    byStaff.set(sale.staffId, staff);
  }

  let voidAmount = 0;
  let voidCash = 0;
  for (const fact of voids) {
    const sale = salesById.get(fact.saleId);
    // A void hands back what the customer paid, in cash (void-rule: only cash sales are voided).
    voidAmount += sale?.total ?? 0;
    voidCash += sale ? cashKept(sale) : 0;
  }
  let refundAmount = 0;
  let refundCash = 0;
  let refundCard = 0;
  for (const refund of refunds) {
    refundAmount += refund.amount;
    for (const tender of refund.tenders) {
      if (tender.method === 'cash') refundCash += tender.amount;
      else refundCard += tender.amount;
    }
  }

  const cashMoves: CashMove[] = [];
  let drawerOpens = 0;
  for (const event of [...input.events].sort((a, b) => a.seq - b.seq)) {
    if (event.subjectId !== input.shiftId || event.terminalId !== open.terminalId) continue;
    if (event.kind === 'drawer_open') drawerOpens += 1;
    if (event.kind !== 'cash_in' && event.kind !== 'cash_out') continue;
    const move = detailOf(event, CashMoveDetail);
    if (!move) continue;
    cashMoves.push({
      kind: event.kind,
      amount: move.amount,
      reason: move.reason,
      staffId: event.staffId,
      at: event.createdAt,
    });
  }
  const cashIn = sumOf(cashMoves.filter((move) => move.kind === 'cash_in'));
  const cashOut = sumOf(cashMoves.filter((move) => move.kind === 'cash_out'));
  const salesTotal = sales.reduce((total, sale) => total + sale.total, 0);
  const closing = close ? detailOf(close, ShiftCloseDetail) : null;

  return {
    kind: input.kind,
    shiftId: input.shiftId,
    storeId: open.storeId,
    terminalId: open.terminalId,
    currency: opening.currency,
    madeAt: input.now,
    openedAt: open.createdAt,
    openedBy: open.staffId,
    closedAt: close?.createdAt ?? null,
    closedBy: close?.staffId ?? null,
    float: opening.float,
    sales: {
      count: sales.length,
      total: salesTotal,
      firstReceipt: sales[0]?.receiptNumber ?? null,
      lastReceipt: sales.at(-1)?.receiptNumber ?? null,
    },
    tenders: { cash: cashTender, card: cardTender },
    cashRounding,
    discounts: { count: discountCount, amount: discountAmount },
    voids: { count: voids.length, amount: voidAmount, cash: voidCash },
    refunds: { count: refunds.length, amount: refundAmount, cash: refundCash, card: refundCard },
    netTotal: salesTotal - voidAmount - refundAmount,
    byProduct: [...byProduct.values()].sort(
      (a, b) => b.total - a.total || a.name.localeCompare(b.name),
    ),
    byStaff: [...byStaff.values()].sort((a, b) => b.total - a.total),
    entitlements: [...entitlements.entries()]
      .map(([kind, count]) => ({ kind, count }))
      .sort((a, b) => a.kind.localeCompare(b.kind)),
    cashMoves,
    cashIn,
    cashOut,
    drawerOpens,
    expectedCash:
      opening.float + cashTender + cashRounding - voidCash - refundCash + cashIn - cashOut,
    close:
      input.kind === 'Z' && closing
        ? {
            counts: closing.counts,
            countedCash: closing.countedCash,
            expectedCash: closing.expectedCash,
            variance: closing.variance,
          }
        : null,
  };
}

function sumOf(moves: readonly CashMove[]): number {
  return moves.reduce((total, move) => total + move.amount, 0);
}

export type VarianceOutcome = 'short' | 'over' | 'exact';

export function varianceOutcome(variance: number): VarianceOutcome {
  if (variance < 0) return 'short';
  return variance > 0 ? 'over' : 'exact';
}

/** "−€1.50" short, "+€2.00" over, "€0.00" exact: the sign a manager reads first. */
export function formatVariance(variance: number, currency: CurrencyCode): string {
  const amount = formatMoney(Math.abs(variance), currency);
  if (variance < 0) return `−${amount}`;
  return variance > 0 ? `+${amount}` : amount;
}

/**
 * What closing the shift records, from the report of the open shift and the drawer as counted.
 * An expected cash below zero (more paid out than the facts put in) is recorded as zero: a
 * drawer cannot hold less than nothing, and the whole count then shows as the variance.
 */
export function shiftCloseDetail(
  report: ShiftReport,
  counts: ReadonlyMap<number, number>,
): ShiftCloseDetail {
  const countedCash = countedTotal(counts);
  const expectedCash = Math.max(0, report.expectedCash);
  return ShiftCloseDetail.parse({
    counts: formatDenominationCounts(counts),
    countedCash,
    expectedCash,
    variance: countedCash - expectedCash,
    salesCount: report.sales.count,
    salesTotal: report.sales.total,
    firstReceipt: report.sales.firstReceipt,
    lastReceipt: report.sales.lastReceipt,
  });
}
