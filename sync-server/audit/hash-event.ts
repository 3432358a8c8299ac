import { createHash } from 'node:crypto';
import { auditHashInput, type AuditEvent } from '../../shared/audit/audit-event.ts';

/**
 * The server's audit hash: the same bytes as the shared hashAuditEvent (SHA-256 over the
 * canonical JSON of every field but `hash`, as UTF-8, in lowercase hex; hash-event.test.ts
 * proves they agree), computed with node:crypto synchronously. WebCrypto's digest is a promise
 * and a trip to the thread pool per event, which was a third of an audit push's CPU.
 */
export function hashAuditEventSync(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(auditHashInput(event), 'utf8').digest('hex');
}

/** Events this process hashed and found matching their own hash; frozen, so still matching. */
const matchingOwnHash = new WeakSet<AuditEvent>();

/**
 * Whether an event's content matches its own hash. A matching event is frozen (its detail too)
 * and remembered, so the chain check of the same push (auditHashOf) does not hash it again.
 */
export function hasOwnHash(event: AuditEvent): boolean {
  if (hashAuditEventSync(event) !== event.hash) return false;
  Object.freeze(event.detail);
  matchingOwnHash.add(Object.freeze(event));
  return true;
}

/** The hash of an event's content: remembered for an event hasOwnHash accepted, else computed. */
export function auditHashOf(event: AuditEvent): string {
  return matchingOwnHash.has(event) ? event.hash : hashAuditEventSync(event);
}
