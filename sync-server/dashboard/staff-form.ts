import { z } from 'zod';
import type { AppContext } from '../deps.ts';
import { findStaffByEmail } from '../staff/staff.ts';

/** The checks the staff forms share (add a member, edit one). */
/** A cashier's session would be refused anyway; say so instead of storing a useless password. */
export const CASHIER_NO_DASHBOARD =
  'Cashiers do not use the dashboard. Leave e-mail and password empty, or make them a manager first.';

export const Name = z.string().trim().min(1, 'Give a name.').max(60, 'Use at most 60 characters.');
export const Email = z.email('Enter an e-mail address, like name@example.com.').max(254);

export function firstIssue(result: z.ZodSafeParseResult<unknown>): string | undefined {
  return result.success ? undefined : result.error.issues[0]?.message;
}

/** Why an e-mail cannot be used for `staffId` (null: a new member), or undefined. */
export async function emailRefusal(ctx: AppContext, email: string, staffId: string | null) {
  const parsed = Email.safeParse(email);
  if (!parsed.success) return firstIssue(parsed);
  const holder = await findStaffByEmail(ctx.db, email);
  return holder && holder.id !== staffId
    ? 'Another staff member signs in with this e-mail. Use a different one.'
    : undefined;
}
