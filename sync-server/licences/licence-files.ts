import type { Transaction } from 'kysely';
import { LicenceFile, type SeatAssignment } from '../../shared/templates/licence.ts';
import type { Database, DbOrTrx } from '../db/schema.ts';
import { isoNow, newId } from '../deps.ts';
import type { Actor } from '../entitlements/events.ts';
import { signWithLicenceKey, type LicenceKeyDeps } from '../keys/licence-key.ts';
import { enqueueSeatAssignedEmail } from '../mail/seat-assigned-email.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';

/**
 * Seats and licence files of a licence code. Assigning seats replaces the whole list (one
 * textarea, shared assignSeats) and issues a new signed file; the previous file is marked
 * superseded, not deleted, so an auditor can see which file was valid when.
 */
export async function seatsOf(db: DbOrTrx, code: string): Promise<SeatAssignment[]> {
  const rows = await db
    .selectFrom('seat_assignments')
    .select(['seat', 'email'])
    .where('code', '=', code)
    .orderBy('seat')
    .execute();
  return rows.map((row) => ({ seat: row.seat, email: row.email }));
}

/** The current (not superseded) file of a code, exactly as it was handed out, or undefined. */
export async function currentLicenceFile(
  db: DbOrTrx,
  code: string,
): Promise<{ id: string; body: string } | undefined> {
  return db
    .selectFrom('licence_files')
    .select(['id', 'body'])
    .where('code', '=', code)
    .where('superseded_at', 'is', null)
    .orderBy('issued_at', 'desc')
    .executeTakeFirst();
}

/** The bytes that are signed: every field but `signature`, as canonical JSON. */
export function signedPart(file: Omit<LicenceFile, 'signature'>): string {
  return canonicalJson(file);
}

/**
 * Stores `seats` as the code's seats, issues a new signed licence file (superseding the old
 * one) and e-mails each person who did not hold a seat before. Call in the transaction that
 * onboards or re-seats the code.
 */
export async function assignSeatsAndIssue(
  trx: Transaction<Database>,
  input: {
    readonly code: string;
    readonly seats: readonly SeatAssignment[];
    readonly actor: Actor;
  },
  deps: LicenceKeyDeps,
): Promise<LicenceFile> {
  const now = isoNow(deps.clock);
  const before = new Set((await seatsOf(trx, input.code)).map((seat) => seat.email));
  await trx.deleteFrom('seat_assignments').where('code', '=', input.code).execute();
  if (input.seats.length > 0) {
    await trx
      .insertInto('seat_assignments')
      .values(
        input.seats.map((seat) => ({
          code: input.code,
          seat: seat.seat,
          email: seat.email,
          assigned_at: now,
          assigned_by: input.actor,
        })),
      )
      .execute();
  }
  const row = await trx
    .selectFrom('entitlements')
    .innerJoin('stores', 'stores.id', 'entitlements.store_id')
    .leftJoin('accounts', 'accounts.id', 'entitlements.holder_account_id')
    .select([
      'entitlements.product_id',
      'entitlements.product_name',
      'entitlements.expires_at',
      'accounts.email',
    ])
    .where('entitlements.code', '=', input.code)
    .executeTakeFirstOrThrow();
  const unsigned: Omit<LicenceFile, 'signature'> = {
    format: 'entitle-licence/v1',
    licenceId: newId('lic', deps.randomBytes),
    productId: row.product_id,
    productName: row.product_name,
    code: input.code,
    // The holder who assigned the seats stands behind the licence.
    licensee: row.email ?? input.seats[0]?.email ?? 'unassigned',
    seats: [...input.seats],
    issuedAt: now,
    expiresAt: row.expires_at,
  };
  const file = LicenceFile.parse({
    ...unsigned,
    signature: await signWithLicenceKey(trx, signedPart(unsigned), deps),
  });
  await trx
    .updateTable('licence_files')
    .set({ superseded_at: now })
    .where('code', '=', input.code)
    .where('superseded_at', 'is', null)
    .execute();
  await trx
    .insertInto('licence_files')
    .values({ id: file.licenceId, code: input.code, body: JSON.stringify(file), issued_at: now })
    .execute();
  for (const seat of input.seats) {
    if (!before.has(seat.email)) {
      await enqueueSeatAssignedEmail(
        trx,
        { code: input.code, email: seat.email, licenceId: file.licenceId },
        deps,
      );
    }
  }
  return file;
}
