import { z } from 'zod';
import type { DbOrTrx } from '../db/schema.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';

/** What a person may type as an e-mail address; the message says how to fix it. */
export const EMAIL_MESSAGE = 'Enter your e-mail address, like name@example.com.';
export const EmailAddress = z
  .string()
  .trim()
  .max(254, EMAIL_MESSAGE)
  .pipe(z.email(EMAIL_MESSAGE))
  .transform((email) => email.toLowerCase());

/** The stored form: trimmed and lower-cased, so one person is one account. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The account of an e-mail address, created if there is none. Race-safe: the INSERT relies on
 * the UNIQUE e-mail (ON CONFLICT DO NOTHING, SQLite and PostgreSQL alike), and whoever lost the
 * race reads the winner's row.
 */
export async function findOrCreateAccount(
  db: DbOrTrx,
  rawEmail: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<{ id: string; email: string }> {
  const email = normaliseEmail(rawEmail);
  await db
    .insertInto('accounts')
    .values({ id: newId('acct', deps.randomBytes), email, created_at: isoNow(deps.clock) })
    .onConflict((conflict) => conflict.column('email').doNothing())
    .execute();
  return db
    .selectFrom('accounts')
    .select(['id', 'email'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
}
