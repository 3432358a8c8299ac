import { z } from 'zod';
import { DocumentId, Email, Timestamp } from '../schemas/common.ts';
import type { LicenceTemplate } from './product-template.ts';

/** One seat of a licence, held by one person. */
export const SeatAssignment = z.strictObject({
  seat: z.int().min(1).max(1000),
  email: Email,
});
export type SeatAssignment = z.infer<typeof SeatAssignment>;

/**
 * The signed licence file that activation produces. Only the fields are fixed here; signing
 * needs the server's key and happens in sync-server, which signs the canonical JSON of every
 * field except `signature` (Ed25519, base64url).
 */
export const LicenceFile = z.strictObject({
  format: z.literal('entitle-licence/v1'),
  licenceId: DocumentId,
  productId: DocumentId,
  productName: z.string().min(1).max(120),
  code: z.string().min(1).max(64),
  licensee: z.string().min(1).max(120),
  seats: z.array(SeatAssignment).min(1).max(1000),
  issuedAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'An Ed25519 signature in base64url.'),
});
export type LicenceFile = z.infer<typeof LicenceFile>;

export type SeatResult =
  | { readonly ok: true; readonly seats: readonly SeatAssignment[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Assigns seats 1..n to the given e-mails, in order. Buy-now-assign-later is the same call
 * made with fewer e-mails than seats; assigning again replaces the list.
 */
export function assignSeats(
  template: Pick<LicenceTemplate, 'seats'>,
  emails: readonly string[],
): SeatResult {
  if (emails.length > template.seats)
    return {
      ok: false,
      reason: `This licence has ${template.seats} seats; ${emails.length} people were given.`,
    };
  const seats: SeatAssignment[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of emails.entries()) {
    const email = raw.trim().toLowerCase();
    if (!Email.safeParse(email).success)
      return { ok: false, reason: `Seat ${index + 1}: “${raw}” is not an e-mail address.` };
    if (seen.has(email))
      return { ok: false, reason: `${email} already holds a seat; each person needs one seat.` };
    seen.add(email);
    seats.push({ seat: index + 1, email });
  }
  return { ok: true, seats };
}
