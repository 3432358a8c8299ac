import { join } from 'node:path';
import type { Clock } from '../deps.ts';
import { createFolderMailer } from './folder-mailer.ts';
import type { Mailer } from './mailer.ts';
import { createSmtpMailer, describeSmtpUrl } from './smtp-mailer.ts';

export const DEFAULT_MAIL_FROM = 'Entitle <no-reply@localhost>';

/** Where e-mails go without SMTP_URL. */
export function mailFolder(dataDir: string): string {
  return join(dataDir, 'mail');
}

/** SMTP when configured, else .eml files in DATA_DIR/mail; `description` is the line to say. */
export function chooseMailer(settings: {
  readonly smtpUrl?: string | undefined;
  readonly mailFrom: string;
  readonly dataDir: string;
  readonly clock: Clock;
}): { mailer: Mailer; description: string } {
  if (settings.smtpUrl !== undefined) {
    return {
      mailer: createSmtpMailer({ url: settings.smtpUrl, from: settings.mailFrom }),
      description: `E-mails are sent through ${describeSmtpUrl(settings.smtpUrl)}`,
    };
  }
  const dir = mailFolder(settings.dataDir);
  return {
    mailer: createFolderMailer({ dir, from: settings.mailFrom, clock: settings.clock }),
    description: `No SMTP_URL: e-mails are written to ${dir} instead of being sent`,
  };
}
