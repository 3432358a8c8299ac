import { formatCode } from '../../shared/code/entitlement-code.ts';
import { formatMoney, sumMoney } from '../../shared/money.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type {
  CardRefundRequest,
  CardRefundResponse,
  RefundCheckResponse,
} from '../../shared/schemas/refund-api.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { SaleRefund, type RefundTender } from '../../shared/schemas/sale-refund.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { ServerRefusal, ServerUnreachable, type ApiClient } from '../sync/api-client.ts';
import { planRefundTenders } from './refund-tenders.ts';

/** A refund the cashier can understand and fix (or that cannot be done): said in a sentence. */
export class RefundProblem extends Error {
  override name = 'RefundProblem';
}

export type RefundRequest = {
  readonly saleId: string;
  readonly lineIds: readonly string[];
  readonly reason: string;
  /** Who refunds it and the manager who approved (v4); null only where nobody signed in. */
  readonly staffId?: string | null;
  readonly approvedBy?: string | null;
};

export type RefundDeps = {
  /** The sync server's API with this terminal's token. */
  readonly api: ApiClient;
  readonly now?: () => Date;
  readonly newId?: () => string;
};

/**
 * The id of a refund of exactly these lines of this sale: the same lines give the same id, so a
 * double tap or a second window refunds once — the insert collides, and a card refund already
 * made is found again at Stripe under the same idempotency key instead of being made twice.
 * FNV-1a of the sorted line ids keeps it within DocumentId's 64 characters (sale ids are UUIDs).
 */
export function refundIdOf(saleId: string, lineIds: readonly string[]): string {
  let hash = 0x811c9dc5;
  for (const char of [...lineIds].sort().join('|')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `rf-${saleId}-${hash.toString(16).padStart(8, '0')}`;
}

export type RefundPlan = {
  readonly sale: Sale;
  readonly amount: number;
  readonly tenders: RefundTender[];
};

/**
 * What a refund of `lineIds` would be, from what is on this terminal: whole lines, each returning
 * its `total`, the money split by planRefundTenders. Refuses a voided sale and a line refunded
 * before. Nothing is written; the screen shows this before the cashier confirms.
 */
export async function planRefund(
  db: EntitleDatabase,
  request: Pick<RefundRequest, 'saleId' | 'lineIds'>,
): Promise<RefundPlan> {
  const sale = (await db.sales.findOne(request.saleId).exec())?.toMutableJSON();
  if (!sale)
    throw new RefundProblem('This sale is not on this terminal, so it cannot be refunded here.');
  if (await db.voids.findOne({ selector: { saleId: sale.id } }).exec()) {
    throw new RefundProblem(
      `Receipt ${sale.receiptNumber} was voided; there is nothing to refund.`,
    );
  }
  if (request.lineIds.length === 0) throw new RefundProblem('Tick the lines to refund.');
  const earlier = (await db.refunds.find({ selector: { saleId: sale.id } }).exec()).map((doc) =>
    doc.toMutableJSON(),
  );
  const returned = new Set(earlier.flatMap((refund) => refund.lineIds));
  const lines = request.lineIds.map((lineId) => {
    const line = sale.lines.find((one) => one.lineId === lineId);
    if (!line) throw new RefundProblem(`Receipt ${sale.receiptNumber} has no such line.`);
    if (returned.has(lineId)) {
      throw new RefundProblem(
        `${line.name} on receipt ${sale.receiptNumber} was already refunded.`,
      );
    }
    return line;
  });
  const amount = sumMoney(lines.map((line) => line.total));
  if (amount === 0) {
    throw new RefundProblem(
      'These lines were free: there is no money to give back. Void the codes instead.',
    );
  }
  return { sale, amount, tenders: planRefundTenders(sale, earlier, amount) };
}

export type RefundResult = {
  readonly refund: SaleRefund;
  /** The server could not be asked: the codes are voided and cards refunded when it syncs. */
  readonly takenOffline: boolean;
  /** Card tenders the server refunds later (offline, or the card processor was unreachable). */
  readonly cardLater: number;
  /** What the cashier pays out of the drawer now. */
  readonly cashFromDrawer: number;
};

/**
 * Refunds whole lines of a sale of this terminal and writes ONE SaleRefund (DESIGN invariant 2).
 * Online it first asks the server whether the lines' codes are unused — a used code blocks the
 * refund, naming it — and refunds card tenders through the server while the cashier waits.
 * Offline (server unreachable) it records the refund as taken offline: cash comes from the
 * drawer, card tenders carry no Stripe refund and the server refunds them on arrival; a code
 * used meanwhile is flagged there for the manager.
 */
export async function refundSale(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  request: RefundRequest,
  deps: RefundDeps,
): Promise<RefundResult> {
  // Manager approval for refunds (issue #5) hooks in here, before anything is asked or written.
  const reason = request.reason.trim();
  if (reason === '') throw new RefundProblem('Say why the sale is refunded, for the audit.');
  if (reason.length > 300) {
    throw new RefundProblem(
      `Shorten the reason to 300 characters (it has ${String(reason.length)}).`,
    );
  }
  const { sale, amount, tenders } = await planRefund(db, request);
  const id = deps.newId ? deps.newId() : refundIdOf(sale.id, request.lineIds);
  const now = deps.now ?? (() => new Date());

  let takenOffline = false;
  try {
    const check = await deps.api.request<RefundCheckResponse>(
      `/sales/${encodeURIComponent(sale.id)}/refund-check`,
      { method: 'POST', body: { lineIds: request.lineIds } },
    );
    if (check.usedCodes.length > 0) {
      const shown = check.usedCodes.map(formatCode).join(', ');
      throw new RefundProblem(
        check.usedCodes.length === 1
          ? `Code ${shown} was already used, so its line cannot be refunded. Untick that line or ask a manager.`
          : `Codes ${shown} were already used, so their lines cannot be refunded. Untick those lines or ask a manager.`,
      );
    }
  } catch (error) {
    if (!(error instanceof ServerUnreachable)) throw refusalOf(error);
    takenOffline = true;
  }

  const settled: RefundTender[] = [];
  for (const tender of tenders) {
    if (tender.method !== 'card' || takenOffline) {
      settled.push(tender);
      continue;
    }
    settled.push(await refundCardNow(deps.api, { refundId: id, saleId: sale.id, tender }));
  }

  const refund = SaleRefund.parse({
    id,
    storeId: credentials.storeId,
    terminalId: credentials.terminalId,
    saleId: sale.id,
    receiptNumber: sale.receiptNumber,
    lineIds: [...request.lineIds],
    amount,
    tenders: settled,
    reason,
    takenOffline,
    staffId: request.staffId ?? null,
    approvedBy: request.approvedBy ?? null,
    createdAt: now().toISOString(),
  });
  try {
    await db.refunds.insert(refund);
  } catch (error) {
    // The same lines refunded from another window or by a double tap: one refund stands, and
    // its card refund was the same one at Stripe (same id, same idempotency key).
    if (await db.refunds.findOne(id).exec()) {
      throw new RefundProblem(
        `These lines of receipt ${sale.receiptNumber} were already refunded.`,
      );
    }
    throw error;
  }
  return {
    refund,
    takenOffline,
    cardLater: sumMoney(
      settled.map((tender) =>
        tender.method === 'card' && tender.stripeRefundId === undefined ? tender.amount : 0,
      ),
    ),
    cashFromDrawer: sumMoney(
      settled.map((tender) => (tender.method === 'cash' ? tender.amount : 0)),
    ),
  };
}

/**
 * One card tender back through the server, keyed by (refund id, PaymentIntent) so a retry never
 * refunds twice. If the server or the processor cannot be reached now, the tender is left for the
 * server to refund on arrival (the same key); a refusal stops the refund before anything is written.
 */
async function refundCardNow(
  api: ApiClient,
  input: { refundId: string; saleId: string; tender: Extract<RefundTender, { method: 'card' }> },
): Promise<RefundTender> {
  const body: CardRefundRequest = {
    refundId: input.refundId,
    saleId: input.saleId,
    paymentIntentId: input.tender.paymentIntentId,
    amount: input.tender.amount,
  };
  try {
    const refunded = await api.request<CardRefundResponse>('/payments/refunds', {
      method: 'POST',
      body,
    });
    return { ...input.tender, stripeRefundId: refunded.stripeRefundId };
  } catch (error) {
    if (error instanceof ServerUnreachable) return input.tender;
    if (error instanceof ServerRefusal && error.status === 503) return input.tender;
    throw refusalOf(error);
  }
}

function refusalOf(error: unknown): Error {
  if (error instanceof RefundProblem) return error;
  if (error instanceof ServerRefusal) {
    return new RefundProblem(`The server refused the refund: ${error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** "€20.00 back (…)": the line shown after a refund is written. */
export function describeRefundResult(result: RefundResult, currency: string): string {
  const parts = [`Refund of ${formatMoney(result.refund.amount, currency)} recorded.`];
  if (result.cashFromDrawer > 0) {
    parts.push(`Give ${formatMoney(result.cashFromDrawer, currency)} cash from the drawer.`);
  }
  if (result.cardLater > 0) {
    parts.push(
      `${formatMoney(result.cardLater, currency)} goes back to the card when the server is reachable; the customer sees it in a few days.`,
    );
  }
  if (result.takenOffline) {
    parts.push('Taken offline: the codes stop working when this terminal syncs.');
  }
  return parts.join(' ');
}
