import { ShiftCloseDetail } from '../../../shared/shift/shift-events.ts';
import {
  buildShiftReport,
  ShiftNotFound,
  type ShiftReport,
} from '../../../shared/shift/shift-report.ts';
import type { AuditEvent } from '../../../shared/audit/audit-event.ts';
import { Sale } from '../../../shared/schemas/sale.ts';
import { SaleRefund } from '../../../shared/schemas/sale-refund.ts';
import { SaleVoid } from '../../../shared/schemas/sale-void.ts';
import { parseStoredEvent } from '../../audit/stored-event.ts';
import type { DbOrTrx } from '../../db/schema.ts';
import { nonEmpty } from '../sales/sales-query.ts';
import { staffNames } from '../sales/sale-detail.ts';

export type ShiftRow = {
  readonly id: string;
  readonly storeId: string;
  readonly terminalName: string;
  readonly openedAt: string;
  readonly openedBy: string | null;
  readonly float: number;
  readonly cashIn: number;
  readonly cashOut: number;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly close: ShiftCloseDetail | null;
};

export const SHIFTS_PAGE = 50;

function closeOf(text: string | null): ShiftCloseDetail | null {
  if (text === null) return null;
  const parsed = ShiftCloseDetail.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

/**
 * Shifts of the user's stores, newest opened first (by the till's clock: the shift table is
 * projected from audit events, and two tills' shifts are only compared by when they opened),
 * paged by keyset on (opened_at, id). Staff are named.
 */
export async function listShifts(
  db: DbOrTrx,
  storeIds: readonly string[],
  page: { readonly before?: { openedAt: string; id: string } } = {},
): Promise<{ rows: ShiftRow[]; next: { openedAt: string; id: string } | null }> {
  let query = db
    .selectFrom('shifts')
    .innerJoin('terminals', 'terminals.id', 'shifts.terminal_id')
    .selectAll('shifts')
    .select('terminals.name as terminal_name')
    .where('shifts.store_id', 'in', nonEmpty(storeIds))
    .orderBy('shifts.opened_at', 'desc')
    .orderBy('shifts.id', 'desc')
    .limit(SHIFTS_PAGE + 1);
  const before = page.before;
  if (before !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('shifts.opened_at', '<', before.openedAt),
        eb.and([eb('shifts.opened_at', '=', before.openedAt), eb('shifts.id', '<', before.id)]),
      ]),
    );
  }
  const found = await query.execute();
  const shown = found.slice(0, SHIFTS_PAGE);
  const names = await staffNames(db, [
    ...new Set(shown.flatMap((row) => [row.opened_by, row.closed_by].filter((id) => id !== null))),
  ]);
  const name = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
  const last = shown.at(-1);
  return {
    rows: shown.map((row) => ({
      id: row.id,
      storeId: row.store_id,
      terminalName: row.terminal_name,
      openedAt: row.opened_at,
      openedBy: name(row.opened_by),
      float: row.float,
      cashIn: row.cash_in,
      cashOut: row.cash_out,
      closedAt: row.closed_at,
      closedBy: name(row.closed_by),
      close: closeOf(row.close_detail),
    })),
    next: found.length > SHIFTS_PAGE && last ? { openedAt: last.opened_at, id: last.id } : null,
  };
}

export type ShiftView = {
  readonly shift: ShiftRow;
  readonly storeName: string;
  /** The X (open) or Z (closed) report rebuilt from the facts; null when they cannot be read. */
  readonly report: ShiftReport | null;
  readonly staffName: (id: string | null) => string;
};

/** One shift of the user's stores with its report, built by the counter's own shared code. */
export async function shiftView(
  db: DbOrTrx,
  storeIds: readonly string[],
  shiftId: string,
  now: string,
): Promise<ShiftView | undefined> {
  const row = await db
    .selectFrom('shifts')
    .innerJoin('terminals', 'terminals.id', 'shifts.terminal_id')
    .innerJoin('stores', 'stores.id', 'shifts.store_id')
    .selectAll('shifts')
    .select(['terminals.name as terminal_name', 'stores.name as store_name'])
    .where('shifts.id', '=', shiftId)
    .where('shifts.store_id', 'in', nonEmpty(storeIds))
    .executeTakeFirst();
  if (!row) return undefined;
  const report = await rebuildReport(db, row, now);
  const ids = new Set<string>([row.opened_by, row.closed_by].filter((id) => id !== null));
  for (const id of report?.byStaff.map((s) => s.staffId) ?? []) if (id !== null) ids.add(id);
  const names = await staffNames(db, [...ids]);
  const staffName = (id: string | null) => (id === null ? 'Nobody' : (names.get(id) ?? id));
  return {
    shift: {
      id: row.id,
      storeId: row.store_id,
      terminalName: row.terminal_name,
      openedAt: row.opened_at,
      openedBy: row.opened_by === null ? null : staffName(row.opened_by),
      float: row.float,
      cashIn: row.cash_in,
      cashOut: row.cash_out,
      closedAt: row.closed_at,
      closedBy: row.closed_by === null ? null : staffName(row.closed_by),
      close: closeOf(row.close_detail),
    },
    storeName: row.store_name,
    report,
    staffName,
  };
}

const DAY_MS = 86_400_000;

async function rebuildReport(
  db: DbOrTrx,
  row: { id: string; terminal_id: string; opened_at: string; closed_at: string | null },
  now: string,
): Promise<ShiftReport | null> {
  const own = await db
    .selectFrom('audit_events')
    .select(['seq'])
    .where('terminal_id', '=', row.terminal_id)
    .where('subject_id', '=', row.id)
    .orderBy('seq')
    .execute();
  const first = own[0]?.seq;
  if (first === undefined) return null;
  const closed = row.closed_at !== null;
  let events = db
    .selectFrom('audit_events')
    .select('body')
    .where('terminal_id', '=', row.terminal_id)
    .where('seq', '>=', first);
  if (closed) events = events.where('seq', '<=', own.at(-1)?.seq ?? first);
  const parsedEvents = (await events.execute())
    .map((event) => parseStoredEvent(event.body))
    .filter((event): event is AuditEvent => event !== null);
  // Voids and refunds carry no shift id: read a generous window, factsOfShift picks exactly.
  const from = new Date(Date.parse(row.opened_at) - DAY_MS).toISOString();
  const until = new Date(Date.parse(row.closed_at ?? now) + DAY_MS).toISOString();
  const bodiesInWindow = (table: 'sale_voids' | 'sale_refunds') =>
    db
      .selectFrom(table)
      .select('body')
      .where('terminal_id', '=', row.terminal_id)
      .where('created_at', '>=', from)
      .where('created_at', '<=', until)
      .execute();
  const voidRows = await bodiesInWindow('sale_voids');
  const refundRows = await bodiesInWindow('sale_refunds');
  const voids = voidRows.map((v) => SaleVoid.parse(JSON.parse(v.body)));
  const refunds = refundRows.map((r) => SaleRefund.parse(JSON.parse(r.body)));
  const saleIds = [...new Set(voids.map((v) => v.saleId))];
  const sales = await db
    .selectFrom('sales')
    .select('body')
    .where((eb) =>
      saleIds.length === 0
        ? eb('shift_id', '=', row.id)
        : eb.or([eb('shift_id', '=', row.id), eb('id', 'in', saleIds)]),
    )
    .execute();
  try {
    return buildShiftReport({
      shiftId: row.id,
      kind: closed ? 'Z' : 'X',
      now,
      events: parsedEvents,
      sales: sales.map((s) => Sale.parse(JSON.parse(s.body))),
      voids,
      refunds,
    });
  } catch (error) {
    if (error instanceof ShiftNotFound) return null;
    throw error;
  }
}
