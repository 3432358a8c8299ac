import { z } from 'zod';
import { DEFAULT_PIN_ITERATIONS, hashPin, PinHash } from '../../shared/staff/pin.ts';
import { StaffMember, StaffRole } from '../../shared/staff/staff-member.ts';
import type { DbOrTrx, StaffTable } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';
import { hashPassword } from './password.ts';

/**
 * Staff on the server: the one writer of staff documents (DESIGN invariant 2). Every change
 * takes a new change-seq, so the store's terminals pull it.
 */

export type StaffDeps = { readonly clock: Clock; readonly randomBytes: RandomBytes };

export function toStaffMember(row: StaffTable): StaffMember {
  return StaffMember.parse({
    id: row.id,
    storeId: row.store_id,
    name: row.name,
    role: row.role,
    pinHash: row.pin_hash === null ? null : PinHash.parse(JSON.parse(row.pin_hash)),
    active: row.active === 1,
    updatedAt: row.updated_at,
  });
}

export const NewStaff = z.strictObject({
  storeId: z.string().min(1).nullable(),
  name: z.string().trim().min(1, 'Give a name.').max(60),
  role: StaffRole,
  pin: z.string().optional(),
  email: z.email().max(254).optional(),
  password: z.string().optional(),
});
export type NewStaff = z.infer<typeof NewStaff>;

export type PinOptions = {
  readonly pinIterations?: number;
  /** scrypt's N for a password; production's default unless a test fixture gives a cheaper one. */
  readonly passwordCost?: number;
};

/** Creates a staff member; hashes the PIN and password (both optional). Returns the row. */
export async function createStaff(
  trx: DbOrTrx,
  input: NewStaff,
  deps: StaffDeps & PinOptions,
): Promise<StaffTable> {
  const parsed = NewStaff.parse(input);
  const now = isoNow(deps.clock);
  const row: StaffTable = {
    id: newId('staff', deps.randomBytes),
    store_id: parsed.storeId,
    name: parsed.name,
    role: parsed.role,
    pin_hash:
      parsed.pin === undefined
        ? null
        : JSON.stringify(
            await hashPin(parsed.pin, { iterations: deps.pinIterations ?? DEFAULT_PIN_ITERATIONS }),
          ),
    email: parsed.email?.toLowerCase() ?? null,
    password_hash:
      parsed.password === undefined ? null : await hashPassword(parsed.password, deps.passwordCost),
    active: 1,
    created_at: now,
    updated_at: now,
    seq: await nextSeq(trx),
  };
  await trx.insertInto('staff').values(row).execute();
  return row;
}

export type StaffChange = {
  readonly name?: string;
  readonly role?: StaffRole;
  readonly active?: boolean;
  /** A new PIN (hashed here), or null to remove counter sign-in. */
  readonly pin?: string | null;
  readonly email?: string | null;
  /** A new password (hashed here), or null to remove dashboard sign-in. */
  readonly password?: string | null;
};

/** Changes a staff member and gives the row a new seq, so terminals pull the change. */
export async function updateStaff(
  trx: DbOrTrx,
  id: string,
  change: StaffChange,
  deps: StaffDeps & PinOptions,
): Promise<StaffTable> {
  const set: Partial<StaffTable> = {};
  if (change.name !== undefined) set.name = z.string().trim().min(1).max(60).parse(change.name);
  if (change.role !== undefined) set.role = StaffRole.parse(change.role);
  if (change.active !== undefined) set.active = change.active ? 1 : 0;
  if (change.pin !== undefined) {
    set.pin_hash =
      change.pin === null
        ? null
        : JSON.stringify(
            await hashPin(change.pin, { iterations: deps.pinIterations ?? DEFAULT_PIN_ITERATIONS }),
          );
  }
  if (change.email !== undefined) set.email = change.email?.toLowerCase() ?? null;
  if (change.password !== undefined) {
    set.password_hash =
      change.password === null ? null : await hashPassword(change.password, deps.passwordCost);
  }
  return trx
    .updateTable('staff')
    .set({ ...set, updated_at: isoNow(deps.clock), seq: await nextSeq(trx) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The staff a store's terminals see: its own and the admins of every store. */
export function staffOfStore(trx: DbOrTrx, storeId: string) {
  return trx
    .selectFrom('staff')
    .selectAll()
    .where((eb) => eb.or([eb('store_id', '=', storeId), eb('store_id', 'is', null)]));
}

export async function findStaff(trx: DbOrTrx, id: string): Promise<StaffTable | undefined> {
  return trx.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findStaffByEmail(
  trx: DbOrTrx,
  email: string,
): Promise<StaffTable | undefined> {
  return trx
    .selectFrom('staff')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}
