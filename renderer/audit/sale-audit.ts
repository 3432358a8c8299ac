import { salesWithoutAuditEvent } from '../../shared/audit/audit-chain.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { recordAudit } from './record-audit.ts';

type Credentials = Pick<TerminalCredentials, 'storeId' | 'terminalId'>;

/**
 * The audit events of a completed sale: `sale`, and `discount` when it had one. Written right
 * after the sale itself (RxDB has no transaction across collections), so a crash in between
 * leaves a sale without its event; `reconcileSaleAudit` repairs that on the next start.
 */
export async function recordSaleAudit(
  db: EntitleDatabase,
  credentials: Credentials,
  sale: Sale,
  options: { readonly recordedLate?: boolean } = {},
): Promise<void> {
  await recordAudit(db, credentials, {
    kind: 'sale',
    staffId: sale.staffId,
    subjectId: sale.id,
    detail: {
      receiptNumber: sale.receiptNumber,
      total: sale.total,
      ...(options.recordedLate === true ? { recordedLate: true } : {}),
    },
  });
  if (sale.discountTotal > 0) {
    await recordAudit(db, credentials, {
      kind: 'discount',
      staffId: sale.staffId,
      subjectId: sale.id,
      detail: { amount: sale.discountTotal, approvedBy: sale.discountApprovedBy },
    });
  }
}

/** How far back to look from the last check: covers a device clock that was set back a little. */
const MARGIN_MS = 24 * 60 * 60 * 1000;
const CHECKED_DOC = 'audit-sales-checked';
type Checked = { upTo: string };

/**
 * On start: every sale of this terminal gets a `sale` audit event, even when the till crashed
 * between writing the sale and its event (then the event says `recordedLate: true`, so nobody
 * mistakes it for one written at the time). Only sales since the last check are read (bounded
 * by the createdAt index), so a terminal with years of sales does not scan them all at boot.
 * Returns the ids of the sales it repaired.
 */
export async function reconcileSaleAudit(
  db: EntitleDatabase,
  credentials: Credentials,
): Promise<string[]> {
  const checked = await db.getLocal<Checked>(CHECKED_DOC);
  const upTo = checked ? (checked.toJSON().data as Checked).upTo : null;
  const since = upTo === null ? '' : new Date(Date.parse(upTo) - MARGIN_MS).toISOString();
  const sales = (await db.sales.find({ selector: { createdAt: { $gte: since } } }).exec()).map(
    (doc) => doc.toMutableJSON(),
  );
  const ours = sales.filter((sale) => sale.terminalId === credentials.terminalId);
  if (ours.length === 0) return [];
  const events = (
    await db.audit_events.find({ selector: { createdAt: { $gte: since }, kind: 'sale' } }).exec()
  ).map((doc) => doc.toMutableJSON());
  const missing = new Set(
    salesWithoutAuditEvent(
      ours.map((sale) => sale.id),
      events,
    ),
  );
  const repaired: string[] = [];
  for (const sale of ours) {
    if (!missing.has(sale.id)) continue;
    await recordSaleAudit(db, credentials, sale, { recordedLate: true });
    repaired.push(sale.id);
  }
  const latest = ours.reduce((max, sale) => (sale.createdAt > max ? sale.createdAt : max), '');
  await db.upsertLocal<Checked>(CHECKED_DOC, { upTo: latest });
  return repaired;
}
