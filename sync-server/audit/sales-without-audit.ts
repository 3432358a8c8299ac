import type { DbOrTrx } from '../db/schema.ts';

export type UnauditedSale = {
  readonly saleId: string;
  readonly receiptNumber: string;
  /** The device clock at the sale. */
  readonly createdAt: string;
  readonly staffId: string | null;
};

/**
 * Sales of a terminal that no `sale` audit event names as its subject: a sale whose event was
 * deleted on the counter, or that never had one. Two kinds of sale are left out, because a
 * missing event says nothing about them:
 * - sales newer than the terminal's newest audit event: sales and audit events sync separately,
 *   so the event may simply not have arrived yet;
 * - sales with no staff member made before the terminal's first audit event: sales from before
 *   v4 (migrated with `staffId: null`), when counters kept no audit chain.
 * Both times are the same terminal's clock, so they compare with each other (never with the
 * server's). Before any audit event has arrived the list is empty: auditStatusOf says so.
 */
export async function salesWithoutAuditEvent(
  db: DbOrTrx,
  terminalId: string,
): Promise<UnauditedSale[]> {
  const edge = (direction: 'asc' | 'desc') =>
    db
      .selectFrom('audit_events')
      .select('created_at')
      .where('terminal_id', '=', terminalId)
      .orderBy('seq', direction)
      .limit(1)
      .executeTakeFirst();
  const [firstEvent, newestEvent] = [await edge('asc'), await edge('desc')];
  if (firstEvent === undefined || newestEvent === undefined) return [];
  const first = Date.parse(firstEvent.created_at);
  const newest = Date.parse(newestEvent.created_at);

  const rows = await db
    .selectFrom('sales')
    .select(['id', 'receipt_number', 'created_at', 'staff_id'])
    .where('terminal_id', '=', terminalId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('audit_events')
            .select('audit_events.id')
            .where('audit_events.terminal_id', '=', terminalId)
            .where('audit_events.kind', '=', 'sale')
            .whereRef('audit_events.subject_id', '=', 'sales.id'),
        ),
      ),
    )
    .orderBy('seq')
    .execute();
  return rows
    .filter((row) => {
      const time = Date.parse(row.created_at);
      if (time > newest) return false;
      return !(row.staff_id === null && time < first);
    })
    .map((row) => ({
      saleId: row.id,
      receiptNumber: row.receipt_number,
      createdAt: row.created_at,
      staffId: row.staff_id,
    }));
}
