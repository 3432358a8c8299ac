import type { DbOrTrx, DashboardActionsTable } from '../db/schema.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';
import type { DashboardUser } from './session.ts';

/**
 * Every change made on the dashboard leaves a row in `dashboard_actions`: who, in which store,
 * what (a short verb such as `staff.create` or `terminal.revoke`), on what subject (an id), and
 * the detail (what changed, from what to what). Written in the change's own transaction, so a
 * change is never without its record. Secrets (PINs, passwords, pairing codes) never go in.
 */
export type DashboardActionInput = {
  readonly user: Pick<DashboardUser, 'id'>;
  /** null for changes that belong to no single store (an admin created for every store). */
  readonly storeId: string | null;
  readonly action: string;
  readonly subject: string;
  readonly detail: Readonly<Record<string, unknown>>;
};

export type DashboardAction = {
  readonly id: string;
  readonly storeId: string | null;
  readonly staffId: string;
  readonly action: string;
  readonly subject: string;
  readonly detail: Record<string, unknown>;
  readonly at: string;
};

export async function recordDashboardAction(
  trx: DbOrTrx,
  input: DashboardActionInput,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<DashboardAction> {
  const row: DashboardActionsTable = {
    id: newId('action', deps.randomBytes),
    store_id: input.storeId,
    staff_id: input.user.id,
    action: input.action,
    subject: input.subject,
    detail: JSON.stringify(input.detail),
    at: isoNow(deps.clock),
  };
  await trx.insertInto('dashboard_actions').values(row).execute();
  return toAction(row);
}

function toAction(row: DashboardActionsTable): DashboardAction {
  const detail: unknown = JSON.parse(row.detail);
  return {
    id: row.id,
    storeId: row.store_id,
    staffId: row.staff_id,
    action: row.action,
    subject: row.subject,
    detail:
      typeof detail === 'object' && detail !== null && !Array.isArray(detail)
        ? (detail as Record<string, unknown>)
        : {},
    at: row.at,
  };
}

/** The actions on one subject, oldest first: an entitlement's or terminal's history. */
export async function dashboardActionsOn(
  trx: DbOrTrx,
  subject: string,
): Promise<DashboardAction[]> {
  const rows = await trx
    .selectFrom('dashboard_actions')
    .selectAll()
    .where('subject', '=', subject)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map(toAction);
}
