import { z } from 'zod';
import { Email } from '../../../shared/schemas/common.ts';
import { EntitlementState } from '../../../shared/schemas/entitlement.ts';
import type { DbOrTrx } from '../../db/schema.ts';
import { nextSeq } from '../../db/seq.ts';
import { isoNow, type AppContext } from '../../deps.ts';
import { HttpError } from '../../http/errors.ts';
import { enqueueReceiptResend } from '../../mail/sale-codes-email.ts';
import { voidOneCode } from '../../voids/void-sale-codes.ts';
import { recordDashboardAction } from '../actions.ts';
import type { DashboardUser } from '../session.ts';
import { nonEmpty, summaryOf } from '../sales/sales-query.ts';
import { inTransaction } from '../../db/transaction.ts';
import { tellStatusOwner, type StatusOwner } from '../../sync/change-notifier.ts';

/**
 * The manager's manual actions on a code or a sale. Each runs in one transaction with its
 * dashboard_actions row (and, for a state change, its entitlement_events row with actor
 * `staff:<id>`), so a change is never without its record; a refusal changes nothing.
 */
export type ActionDeps = Pick<AppContext, 'db' | 'clock' | 'randomBytes' | 'notifier'>;
type Actor = Pick<DashboardUser, 'id'>;

export const Reason = z
  .string()
  .trim()
  .min(3, 'Say why, in a few words: it goes in the audit log.')
  .max(300, 'Keep the reason under 300 characters.');

function reasonOf(text: string): string {
  const parsed = Reason.safeParse(text);
  if (parsed.success) return parsed.data;
  throw new HttpError(400, 'reason_required', parsed.error.issues[0]?.message ?? 'Say why.');
}

/** Where a code's dashboard history is kept (dashboard_actions.subject). */
export function entitlementSubject(code: string): string {
  return `entitlement:${code}`;
}

export function saleSubject(saleId: string): string {
  return `sale:${saleId}`;
}

const NOT_FOUND = 'There is no such code in your stores. Check it against the receipt.';

async function codeInScope(db: DbOrTrx, storeIds: readonly string[], code: string) {
  const row = await db
    .selectFrom('entitlements')
    .select(['code', 'state', 'store_id', 'terminal_id', 'expires_at', 'holder_account_id'])
    .where('code', '=', code)
    .where('store_id', 'in', nonEmpty(storeIds))
    .executeTakeFirst();
  if (!row) throw new HttpError(404, 'code_not_found', NOT_FOUND);
  return { ...row, state: EntitlementState.parse(row.state) };
}

const UNVOIDABLE: Partial<Record<EntitlementState, string>> = {
  consumed:
    'This code has been redeemed, so it cannot be voided. Refund the sale at the counter if money is owed.',
  voided: 'This code is already voided.',
  expired: 'This code has expired; there is nothing left to void.',
};

/** Voids one code (never a consumed one), tells its holder, and lets the terminals know. */
export async function voidCode(
  deps: ActionDeps,
  user: Actor,
  storeIds: readonly string[],
  input: { readonly code: string; readonly reason: string },
): Promise<void> {
  const reason = reasonOf(input.reason);
  const owner = await inTransaction(deps.db, async (trx): Promise<StatusOwner> => {
    const row = await codeInScope(trx, storeIds, input.code);
    const refusal = UNVOIDABLE[row.state];
    if (refusal !== undefined) throw new HttpError(409, 'code_not_voidable', refusal);
    // Guarded by the state just read: a code redeemed a moment ago stays redeemed.
    const won = await voidOneCode(
      trx,
      { ...row, from: row.state, reason, actor: `staff:${user.id}` },
      deps,
    );
    if (!won) {
      throw new HttpError(
        409,
        'code_changed',
        'This code changed while you were looking at it. Open it again and check its state.',
      );
    }
    await recordDashboardAction(
      trx,
      {
        user,
        storeId: row.store_id,
        action: 'entitlement.void',
        subject: entitlementSubject(row.code),
        detail: { from: row.state, to: 'voided', reason },
      },
      deps,
    );
    return { storeId: row.store_id, terminalId: row.terminal_id };
  });
  tellStatusOwner(deps.notifier, owner);
}

const NOT_EXTENDABLE = ['consumed', 'expired', 'voided'] as const;

/**
 * Moves a code's expiry later. `through` is the last valid day (UTC), stored as the following
 * midnight, the way template validity is; it must be later than now and than the old expiry,
 * so extending never shortens a code's life. A code that never expires has nothing to extend.
 */
export async function extendExpiry(
  deps: ActionDeps,
  user: Actor,
  storeIds: readonly string[],
  input: { readonly code: string; readonly through: string; readonly reason: string },
): Promise<string> {
  const reason = reasonOf(input.reason);
  const day = z.iso.date('Give the new last day as a date.').safeParse(input.through);
  if (!day.success) {
    throw new HttpError(400, 'bad_date', 'Give the new last day as a date (YYYY-MM-DD).');
  }
  const newExpiry = new Date(Date.parse(`${day.data}T00:00:00.000Z`) + 86_400_000).toISOString();
  const now = isoNow(deps.clock);
  const owner = await inTransaction(deps.db, async (trx): Promise<StatusOwner> => {
    const row = await codeInScope(trx, storeIds, input.code);
    if ((NOT_EXTENDABLE as readonly string[]).includes(row.state)) {
      throw new HttpError(
        409,
        'code_not_extendable',
        `This code is ${row.state}; only a code that can still be used can get a later expiry.`,
      );
    }
    if (row.expires_at === null) {
      throw new HttpError(
        409,
        'code_never_expires',
        'This code never expires; there is nothing to extend.',
      );
    }
    if (Date.parse(newExpiry) <= Date.parse(now)) {
      throw new HttpError(
        400,
        'date_in_past',
        'The new last day has already passed. Pick a later date.',
      );
    }
    if (Date.parse(newExpiry) <= Date.parse(row.expires_at)) {
      throw new HttpError(
        400,
        'date_not_later',
        'The new last day must be after the current expiry. Pick a later date.',
      );
    }
    const seq = await nextSeq(trx);
    const changed = await trx
      .updateTable('entitlements')
      .set({ expires_at: newExpiry, updated_at: now, seq })
      .where('code', '=', row.code)
      .where('state', '=', row.state)
      .executeTakeFirst();
    if (changed.numUpdatedRows !== 1n) {
      throw new HttpError(
        409,
        'code_changed',
        'This code changed while you were looking at it. Open it again and check its state.',
      );
    }
    await recordDashboardAction(
      trx,
      {
        user,
        storeId: row.store_id,
        action: 'entitlement.extend',
        subject: entitlementSubject(row.code),
        detail: { from: row.expires_at, to: newExpiry, reason },
      },
      deps,
    );
    return { storeId: row.store_id, terminalId: row.terminal_id };
  });
  tellStatusOwner(deps.notifier, owner);
  return newExpiry;
}

/** Queues the receipt e-mail of a sale again (the outbox sends it), to the buyer or `email`. */
export async function resendReceipt(
  deps: ActionDeps,
  user: Actor,
  storeIds: readonly string[],
  input: { readonly saleId: string; readonly email?: string | undefined; readonly reason: string },
): Promise<string> {
  const reason = reasonOf(input.reason);
  const typed = input.email?.trim() ?? '';
  const email = typed === '' ? undefined : Email.safeParse(typed);
  if (email !== undefined && !email.success) {
    throw new HttpError(400, 'bad_email', 'That is not an e-mail address. Check it and try again.');
  }
  const sale = await deps.db
    .selectFrom('sales')
    .select(['id', 'store_id', 'body'])
    .where('id', '=', input.saleId)
    .where('store_id', 'in', nonEmpty(storeIds))
    .executeTakeFirst();
  if (!sale) throw new HttpError(404, 'sale_not_found', 'There is no such sale in your stores.');
  const to = email?.data ?? summaryOf(sale.body).buyerEmail;
  if (to === undefined) {
    throw new HttpError(
      400,
      'email_required',
      'This sale has no buyer e-mail. Type the address to send the receipt to.',
    );
  }
  await inTransaction(deps.db, async (trx) => {
    await enqueueReceiptResend(trx, { saleId: sale.id, to }, deps);
    await recordDashboardAction(
      trx,
      {
        user,
        storeId: sale.store_id,
        action: 'sale.resend_receipt',
        subject: saleSubject(sale.id),
        detail: { to, reason },
      },
      deps,
    );
  });
  return to;
}
