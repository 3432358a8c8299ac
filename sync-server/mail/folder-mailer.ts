import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { Clock } from '../deps.ts';
import { messageIdHeader, sanitiseId, type Mailer } from './mailer.ts';

/**
 * Writes each message as an .eml file instead of sending it: for a server without SMTP_URL
 * (the demo, a laptop). Any mail client opens the files. The name starts with the time, so
 * the folder lists in sending order; a resend of the same message is a second file.
 */
export function createFolderMailer(settings: {
  readonly dir: string;
  readonly from: string;
  readonly clock: Clock;
}): Mailer {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (message) => {
      const info = await transport.sendMail({
        from: settings.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: messageIdHeader(message.messageId, settings.from),
      });
      if (!Buffer.isBuffer(info.message)) throw new Error('The mail composer returned no bytes.');
      await mkdir(settings.dir, { recursive: true });
      const stamp = settings.clock().toISOString().replace(/[:.]/g, '-');
      const file = join(settings.dir, `${stamp}_${sanitiseId(message.messageId)}.eml`);
      // Written aside and renamed, so nobody opens a half-written message.
      await writeFile(`${file}.partial`, info.message);
      await rename(`${file}.partial`, file);
    },
  };
}
