import { z } from 'zod';
import type { Db, StaffTable } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { createStaff, findStaffByEmail } from '../staff/staff.ts';
import { recordDashboardAction } from './actions.ts';
import { inTransaction } from '../db/transaction.ts';

/** A refusal of `create-admin` the person at the terminal can act on. */
export class CreateAdminRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CreateAdminRefused';
  }
}

/** 18 random bytes: 24 base64url characters, 144 bits. Printed once; only its scrypt hash is kept. */
export function generatePassword(randomBytes: RandomBytes): string {
  return Buffer.from(randomBytes(18)).toString('base64url');
}

/**
 * The first (or another) admin of every store, for `npm run server -- create-admin <email>`:
 * how a new server gets someone who can sign in to the dashboard. The password is generated,
 * returned once to print, and never stored in clear. Recorded in dashboard_actions as done by
 * the new admin from the command line.
 */
export async function createAdmin(
  db: Db,
  input: { readonly email: string; readonly name?: string | undefined },
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<{ readonly staff: StaffTable; readonly password: string }> {
  const email = z.email().max(254).safeParse(input.email.trim());
  if (!email.success) {
    throw new CreateAdminRefused(
      `"${input.email}" is not an e-mail address. Use: npm run server -- create-admin <email> [name]`,
    );
  }
  const name = (input.name ?? '').trim() || 'Admin';
  if (name.length > 60) throw new CreateAdminRefused('Use a name of at most 60 characters.');
  const password = generatePassword(deps.randomBytes);
  const staff = await inTransaction(db, async (trx) => {
    if (await findStaffByEmail(trx, email.data)) {
      throw new CreateAdminRefused(
        `There is already a staff member with the e-mail ${email.data.toLowerCase()}. Use another e-mail, or have an admin set their password on the dashboard.`,
      );
    }
    const row = await createStaff(
      trx,
      { storeId: null, name, role: 'admin', email: email.data, password },
      deps,
    );
    await recordDashboardAction(
      trx,
      {
        user: row,
        storeId: null,
        action: 'staff.create',
        subject: row.id,
        detail: { name, role: 'admin', email: row.email, via: 'command line' },
      },
      deps,
    );
    return row;
  });
  return { staff, password };
}
