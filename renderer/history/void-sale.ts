import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { SaleVoid as SaleVoidSchema } from '../../shared/schemas/sale-void.ts';
import { voidRefusal } from '../../shared/sale/void-rule.ts';
import type { EntitleDatabase } from '../data/database.ts';

/** A void the cashier can understand and fix (or that cannot be done): said in a sentence. */
export class VoidProblem extends Error {
  override name = 'VoidProblem';
}

/**
 * One sale has at most one void. Deriving the void's id from the sale makes that a property of
 * the primary key, not of a check-then-write: two windows or a double tap collide on insert.
 * Sale ids on this terminal are UUIDs, so the id stays within DocumentId's 64 characters.
 */
export function voidIdOf(saleId: string): string {
  return `void-${saleId}`;
}

/**
 * Voids a sale of this terminal: writes ONE SaleVoid document (DESIGN invariant 2: a new fact,
 * never an edit of the sale). The replication pushes it; the server voids the codes that are not
 * used yet and e-mails the customers who claimed them.
 */
export async function voidSale(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  request: {
    readonly saleId: string;
    readonly reason: string;
    /** Who voids it and the manager who approved (v4); null only where nobody signed in. */
    readonly staffId?: string | null;
    readonly approvedBy?: string | null;
  },
  now: () => Date = () => new Date(),
): Promise<SaleVoid> {
  // Manager approval for voids (a later issue) hooks in here, before anything is written.
  const sale = await db.sales.findOne(request.saleId).exec();
  if (!sale)
    throw new VoidProblem('This sale is not on this terminal, so it cannot be voided here.');
  const hasRefunds = (await db.refunds.find({ selector: { saleId: sale.id } }).exec()).length > 0;
  const refusal = voidRefusal(sale, hasRefunds);
  if (refusal) throw new VoidProblem(refusal);
  const reason = request.reason.trim();
  if (reason === '') throw new VoidProblem('Say why the sale is voided, for the audit.');
  if (reason.length > 300) {
    throw new VoidProblem(
      `Shorten the reason to 300 characters (it has ${String(reason.length)}).`,
    );
  }
  const id = voidIdOf(sale.id);
  if (await db.voids.findOne(id).exec()) {
    throw new VoidProblem(`Receipt ${sale.receiptNumber} is already voided.`);
  }
  const document = SaleVoidSchema.parse({
    id,
    storeId: credentials.storeId,
    terminalId: credentials.terminalId,
    saleId: sale.id,
    receiptNumber: sale.receiptNumber,
    reason,
    staffId: request.staffId ?? null,
    approvedBy: request.approvedBy ?? null,
    createdAt: now().toISOString(),
  });
  try {
    await db.voids.insert(document);
  } catch (error) {
    // Lost the race with another window: the sale is voided either way, once.
    if (await db.voids.findOne(id).exec()) {
      throw new VoidProblem(`Receipt ${sale.receiptNumber} is already voided.`);
    }
    throw error;
  }
  return document;
}
