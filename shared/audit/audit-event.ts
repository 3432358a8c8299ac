import { z } from 'zod';
import { DocumentId, Timestamp } from '../schemas/common.ts';
import { canonicalJson } from '../canonical-json.ts';

export const AUDIT_KINDS = [
  'sale',
  'void',
  'refund',
  'discount',
  'approval',
  'drawer_open',
  'shift_open',
  'cash_in',
  'cash_out',
  'shift_close',
  'sign_in',
  'sign_out',
  'settings_change',
] as const;
export const AuditKind = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKind>;

/** The prevHash of a terminal's first event: there is nothing before it to point at. */
export const GENESIS_HASH = '0'.repeat(64);

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'A hash is 64 lowercase hex digits.');

/**
 * Flat and small on purpose: an audit event says what happened, the sale document holds the
 * rest. Numbers are safe integers (money is minor units) so the canonical text never depends on
 * how a language prints a float.
 */
export const AuditDetail = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/),
    z.union([z.string().max(200), z.int(), z.boolean(), z.null()]),
  )
  .refine((detail) => Object.keys(detail).length <= 16, 'An audit detail has at most 16 fields.');
export type AuditDetail = z.infer<typeof AuditDetail>;

/** What the caller supplies; seq, prevHash and hash are assigned by appendAuditEvent. */
export const AuditEventInput = z.strictObject({
  id: DocumentId,
  storeId: DocumentId,
  terminalId: DocumentId,
  kind: AuditKind,
  staffId: DocumentId.nullable(),
  subjectId: DocumentId.nullable(),
  detail: AuditDetail,
  /** The device clock: recorded, never trusted for order (seq is the order). */
  createdAt: Timestamp,
});
export type AuditEventInput = z.infer<typeof AuditEventInput>;

export const AuditEvent = z.strictObject({
  ...AuditEventInput.shape,
  /** Per terminal, 1, 2, 3… with no gaps: a missing number is a deleted event. */
  seq: z.int().min(1),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/**
 * What the hash covers: every field but `hash`, picked by name so a stored row's extra columns can
 * never change it; storeId and terminalId are inside, so an event moved to another chain fails.
 * Canonical JSON, hashed as UTF-8 (here with WebCrypto; the server's hash-event.ts with node's).
 */
export function auditHashInput(event: Omit<AuditEvent, 'hash'>): string {
  return canonicalJson({
    id: event.id,
    storeId: event.storeId,
    terminalId: event.terminalId,
    seq: event.seq,
    prevHash: event.prevHash,
    kind: event.kind,
    staffId: event.staffId,
    subjectId: event.subjectId,
    detail: event.detail,
    createdAt: event.createdAt,
  });
}

/** SHA-256 of auditHashInput, in lowercase hex. */
export async function hashAuditEvent(event: Omit<AuditEvent, 'hash'>): Promise<string> {
  const bytes = new TextEncoder().encode(auditHashInput(event));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
