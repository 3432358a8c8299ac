import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testClock } from '../test-support/harness.ts';
import { startTestSmtpServer } from '../test-support/smtp.ts';
import { chooseMailer } from './choose-mailer.ts';
import { createFolderMailer } from './folder-mailer.ts';
import { messageIdHeader, parseMailbox, sanitiseId, type MailMessage } from './mailer.ts';
import { createSmtpMailer, describeSmtpUrl } from './smtp-mailer.ts';

const message: MailMessage = {
  to: 'buyer@example.test',
  subject: 'Your codes from Café Ünïcode',
  text: 'Hello,\nyour code is AB12-0000-01XX.\n',
  html: '<p>Hello, your code is <strong>AB12-0000-01XX</strong>.</p>',
  messageId: 'sale-codes-email:sale-1',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'entitle-mail-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ids and addresses', () => {
  it('turns an idempotency key into a Message-ID and a file name', () => {
    expect(sanitiseId('sale-codes-email:sale-1')).toBe('sale-codes-email.sale-1');
    expect(sanitiseId('../../etc/passwd')).toBe('etc.passwd');
    expect(sanitiseId(':::')).toBe('message');
    expect(messageIdHeader('a:b', 'Shop <no-reply@shop.example>')).toBe('<a.b@shop.example>');
    expect(messageIdHeader('a:b', 'no-reply@localhost')).toBe('<a.b@localhost>');
  });

  it('reads a sender with or without a name, and nothing else', () => {
    expect(parseMailbox('Entitle <no-reply@localhost>')).toEqual({
      name: 'Entitle',
      address: 'no-reply@localhost',
    });
    expect(parseMailbox('"Corner Shop" <a@b.example>')?.name).toBe('Corner Shop');
    expect(parseMailbox('a@b.example')).toEqual({ name: '', address: 'a@b.example' });
    expect(parseMailbox('Entitle')).toBeNull();
    expect(parseMailbox('<a@b> c@d')).toBeNull();
  });

  it('never shows the SMTP password', () => {
    expect(describeSmtpUrl('smtps://shop:hunter2@mail.example:465')).toBe(
      'smtps://shop:***@mail.example:465',
    );
    expect(describeSmtpUrl('smtp://127.0.0.1:2525')).toBe('smtp://127.0.0.1:2525');
  });
});

describe('folder mailer', () => {
  it('writes one readable .eml per message, named by time and message id', async () => {
    const clock = testClock('2026-11-26T10:00:00.123Z');
    const folder = join(dir, 'mail');
    const mailer = createFolderMailer({
      dir: folder,
      from: 'Shop <till@shop.example>',
      clock: clock.now,
    });
    await mailer.send(message);
    clock.advance(1_000);
    await mailer.send(message);
    const files = readdirSync(folder).sort();
    expect(files).toEqual([
      '2026-11-26T10-00-00-123Z_sale-codes-email.sale-1.eml',
      '2026-11-26T10-00-01-123Z_sale-codes-email.sale-1.eml',
    ]);
    const parsed = await simpleParser(readFileSync(join(folder, files[0]!)));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from?.text).toBe('"Shop" <till@shop.example>');
    expect(parsed.messageId).toBe('<sale-codes-email.sale-1@shop.example>');
    expect(parsed.text).toBe(message.text);
    expect(parsed.html).toBe(message.html);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe('buyer@example.test');
  });
});

describe('chooseMailer', () => {
  it('without SMTP_URL writes to DATA_DIR/mail and says so', async () => {
    const chosen = chooseMailer({ mailFrom: 'a@b.example', dataDir: dir, clock: testClock().now });
    expect(chosen.description).toBe(
      `No SMTP_URL: e-mails are written to ${join(dir, 'mail')} instead of being sent`,
    );
    await chosen.mailer.send(message);
    expect(readdirSync(join(dir, 'mail'))).toHaveLength(1);
  });

  it('with SMTP_URL sends through that server, under the Message-ID of the key', async () => {
    const smtp = await startTestSmtpServer();
    try {
      const chosen = chooseMailer({
        smtpUrl: smtp.url,
        mailFrom: 'Entitle <no-reply@localhost>',
        dataDir: dir,
        clock: testClock().now,
      });
      expect(chosen.description).toBe(`E-mails are sent through ${smtp.url}`);
      await chosen.mailer.send(message);
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]?.parsed.messageId).toBe('<sale-codes-email.sale-1@localhost>');
      expect(smtp.received[0]?.parsed.subject).toBe(message.subject);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await smtp.close();
    }
  });

  it('fails the send (for the outbox to retry) when no SMTP server answers', async () => {
    const smtp = await startTestSmtpServer();
    await smtp.close();
    const mailer = createSmtpMailer({ url: smtp.url, from: 'a@b.example' });
    await expect(mailer.send(message)).rejects.toThrow(/ECONNREFUSED/);
  });
});
