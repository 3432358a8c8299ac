import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { CashMoveDetail, ShiftOpenDetail } from '../../shared/shift/shift-events.ts';
import type { ShiftReport, ShiftReportKind } from '../../shared/shift/shift-report.ts';
import { buildShiftReport, shiftCloseDetail } from '../../shared/shift/shift-report.ts';
import { canApprove } from '../../shared/staff/staff-member.ts';
import type { AuditDeps } from '../audit/record-audit.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { eventsAfter, findOpenShift, shiftPlace } from './open-shift.ts';

type Credentials = Pick<TerminalCredentials, 'storeId' | 'terminalId' | 'currency'>;

export type ShiftDeps = AuditDeps & { readonly newId: () => string };
const defaultDeps: ShiftDeps = { now: () => new Date(), newId: () => crypto.randomUUID() };

/** A refusal the cashier can act on; the screens show its message as it is. */
export class ShiftRefusal extends Error {}

/** Opens a shift with the float in the drawer. Refused while one is already open. */
export async function openShift(
  db: EntitleDatabase,
  credentials: Credentials,
  input: { readonly staffId: string; readonly float: number },
  deps: ShiftDeps = defaultDeps,
): Promise<string> {
  const detail = ShiftOpenDetail.safeParse({ float: input.float, currency: credentials.currency });
  if (!detail.success) throw new ShiftRefusal('The float is an amount such as 100.00.');
  if (await findOpenShift(db)) throw new ShiftRefusal('A shift is already open on this terminal.');
  const shiftId = deps.newId();
  await recordAudit(
    db,
    credentials,
    { kind: 'shift_open', staffId: input.staffId, subjectId: shiftId, detail: detail.data },
    deps,
  );
  return shiftId;
}

/** Cash put into or taken out of the drawer during the open shift, with the reason. */
export async function recordCashMove(
  db: EntitleDatabase,
  credentials: Credentials,
  input: {
    readonly direction: 'in' | 'out';
    readonly staffId: string;
    readonly amount: number;
    readonly reason: string;
  },
  deps: AuditDeps = defaultDeps,
): Promise<AuditEvent> {
  const detail = CashMoveDetail.safeParse({ amount: input.amount, reason: input.reason });
  if (!detail.success) {
    throw new ShiftRefusal(
      input.reason.trim() === ''
        ? 'Say why the cash goes in or out.'
        : 'The amount is more than zero, such as 20.00.',
    );
  }
  const open = await findOpenShift(db);
  if (!open) throw new ShiftRefusal('Open a shift first: cash moves belong to a shift.');
  if (input.direction === 'out') {
    const report = await loadShiftReport(db, open.shiftId, 'X', deps.now());
    if (input.amount > report.expectedCash) {
      throw new ShiftRefusal('The drawer should not hold that much: count it, or close the shift.');
    }
  }
  return recordAudit(
    db,
    credentials,
    {
      kind: input.direction === 'in' ? 'cash_in' : 'cash_out',
      staffId: input.staffId,
      subjectId: open.shiftId,
      detail: detail.data,
    },
    deps,
  );
}

/**
 * Closes the open shift with the drawer as counted, by a manager or admin (a cashier counts
 * nothing into the record): the expected cash and the variance are
 * computed from the shift's facts at this moment and recorded in the shift_close event.
 */
export async function closeShift(
  db: EntitleDatabase,
  credentials: Credentials,
  input: { readonly staffId: string; readonly counts: ReadonlyMap<number, number> },
  deps: AuditDeps = defaultDeps,
): Promise<{ shiftId: string; event: AuditEvent }> {
  const closer = await db.staff.findOne(input.staffId).exec();
  if (!closer?.active || !canApprove(closer.role)) {
    throw new ShiftRefusal('Closing the shift is for managers. Ask a manager to sign in.');
  }
  const open = await findOpenShift(db);
  if (!open) throw new ShiftRefusal('No shift is open on this terminal.');
  for (const [value, count] of input.counts) {
    if (!Number.isInteger(count) || count < 0 || count > 99_999 || value < 1) {
      throw new ShiftRefusal('Each count is a whole number of notes or coins.');
    }
  }
  const report = await loadShiftReport(db, open.shiftId, 'X', deps.now());
  const event = await recordAudit(
    db,
    credentials,
    {
      kind: 'shift_close',
      staffId: input.staffId,
      subjectId: open.shiftId,
      detail: shiftCloseDetail(report, input.counts),
    },
    deps,
  );
  return { shiftId: open.shiftId, event };
}

/** A day before the opening, on the device clock: room for a clock set back during the shift. */
const CLOCK_SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * The report of one shift of this terminal from the local facts. Reads are index-bounded: the
 * chain from the shift's opening seq, and sales, voids and refunds from a day before it opened
 * (the sales are then picked by shiftId, voids and refunds by buildShiftReport's rule).
 */
export async function loadShiftReport(
  db: EntitleDatabase,
  shiftId: string,
  kind: ShiftReportKind,
  now: Date,
): Promise<ShiftReport> {
  const place = await shiftPlace(db, shiftId);
  if (!place) throw new ShiftRefusal('This shift was not opened on this terminal.');
  const events = (await eventsAfter(db, place.openSeq - 1)).filter(
    (event) => place.closeSeq === null || event.seq <= place.closeSeq,
  );
  const opening = events[0];
  if (!opening) throw new ShiftRefusal('This shift was not opened on this terminal.');
  const since = new Date(Date.parse(opening.createdAt) - CLOCK_SLACK_MS).toISOString();
  const range = { selector: { createdAt: { $gte: since } }, sort: [{ createdAt: 'asc' as const }] };
  const [sales, voids, refunds] = await Promise.all([
    db.sales.find(range).exec(),
    db.voids.find(range).exec(),
    db.refunds.find(range).exec(),
  ]);
  const saleList = sales.map((doc) => doc.toMutableJSON());
  const known = new Set(saleList.map((sale) => sale.id));
  const voidList = voids.map((doc) => doc.toMutableJSON());
  // A void hands back the cash of its sale, which may have been sold long before this shift.
  const older = [...new Set(voidList.map((fact) => fact.saleId))].filter((id) => !known.has(id));
  const olderSales =
    older.length > 0
      ? [...(await db.sales.findByIds(older).exec()).values()].map((doc) => doc.toMutableJSON())
      : [];
  return buildShiftReport({
    shiftId,
    kind,
    now: now.toISOString(),
    events,
    sales: [...saleList, ...olderSales],
    voids: voidList,
    refunds: refunds.map((doc) => doc.toMutableJSON()),
  });
}
