import { AuditEvent } from '../../shared/audit/audit-event.ts';

/** A stored body as the event it was; null when it was edited into something else. */
export function parseStoredEvent(body: string): AuditEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = AuditEvent.safeParse(value);
  return parsed.success ? parsed.data : null;
}
