/** One e-mail, both parts: text for every client, HTML for those that show it. */
export type MailMessage = {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * A stable id for this message: the outbox idempotency key. Mailers turn it into the
   * Message-ID header (`messageIdHeader`), so a resend after a crash carries the same one.
   */
  readonly messageId: string;
};

export type Mailer = {
  send(message: MailMessage): Promise<void>;
};

/**
 * Letters, digits, `_` and `-` kept; every other run of characters becomes one dot, so the
 * result is a valid Message-ID left part and a safe file name ("sale-codes-email:42" →
 * "sale-codes-email.42"). Outbox keys are `<kind>:<document id>`, so nothing collides.
 */
export function sanitiseId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]+/g, '.').replace(/^\.+|\.+$/g, '');
  return cleaned === '' ? 'message' : cleaned.slice(0, 200);
}

/** `Entitle <no-reply@shop.example>` or `no-reply@shop.example` → its parts, or null. */
export function parseMailbox(text: string): { name: string; address: string } | null {
  const match = /^\s*(?:([^<>]*?)\s*<([^<>\s@]+@[^<>\s@]+)>|([^<>\s@]+@[^<>\s@]+))\s*$/.exec(text);
  if (!match) return null;
  const address = match[2] ?? match[3] ?? '';
  return { name: (match[1] ?? '').replace(/^"|"$/g, ''), address };
}

/** `<sale-codes-email.42@shop.example>`: the right part is the domain of the sender. */
export function messageIdHeader(id: string, from: string): string {
  const domain = parseMailbox(from)?.address.split('@')[1] ?? 'localhost';
  return `<${sanitiseId(id)}@${domain}>`;
}
