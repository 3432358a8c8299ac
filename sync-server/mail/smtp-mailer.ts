import { createTransport } from 'nodemailer';
import { messageIdHeader, type Mailer } from './mailer.ts';

/**
 * Sends through an SMTP server: `smtp://host:587` (STARTTLS when offered) or
 * `smtps://user:password@host:465`. One connection per message: the outbox sends a few
 * receipts a minute, not a newsletter. The timeouts stay well inside the outbox lease
 * (outbox/worker.ts LEASE_MS) so a stuck server cannot make two workers send the same row.
 */
export function createSmtpMailer(settings: {
  readonly url: string;
  readonly from: string;
}): Mailer {
  const transport = createTransport({
    url: settings.url,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    send: async (message) => {
      await transport.sendMail({
        from: settings.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: messageIdHeader(message.messageId, settings.from),
      });
    },
  };
}

/** The URL without its password, for logs and start-up lines. */
export function describeSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an SMTP server';
  }
}
