import { expect } from 'vitest';
import type { TestApp } from '../test-support/harness.ts';
import { portalClient, type PortalClient } from '../test-support/portal.ts';
import type { TestSmtpServer } from '../test-support/smtp.ts';

/** For tests of this folder: the first link e-mailed to `email` after now, or an error. */
export function linkIn(smtp: TestSmtpServer, email: string, pattern: RegExp): string {
  const mail = smtp.received.findLast((received) => received.to.includes(email));
  const found = pattern.exec(mail?.parsed.text ?? '')?.[0];
  if (found === undefined) throw new Error(`no link like ${String(pattern)} e-mailed to ${email}`);
  return found;
}

/** A browser signed in as `email` through the real magic-link e-mail (tests only). */
export async function signedInClient(
  t: TestApp,
  smtp: TestSmtpServer,
  email: string,
): Promise<PortalClient> {
  const client = portalClient(t.app);
  await client.get('/signin');
  expect((await client.post('/signin', { email })).statusCode).toBe(200);
  await t.outbox.runOnce();
  const link = linkIn(smtp, email, /\/auth\/link\/[A-Za-z0-9_-]{43}/);
  await client.get(link);
  const used = await client.post(link);
  expect(used.statusCode, used.body).toBe(303);
  await client.get('/account');
  return client;
}

/** Claims `code` to `email` the way a customer does (code page, e-mailed link); signed in after. */
export async function claimedBy(
  t: TestApp,
  smtp: TestSmtpServer,
  code: string,
  email: string,
): Promise<PortalClient> {
  const phone = portalClient(t.app);
  await phone.get(`/redeem/${code}`);
  expect((await phone.post(`/redeem/${code}/claim`, { email })).statusCode).toBe(200);
  await t.outbox.runOnce();
  const link = linkIn(smtp, email, /\/auth\/link\/[A-Za-z0-9_-]{43}/);
  await phone.get(link);
  expect((await phone.post(link)).statusCode).toBe(303);
  await phone.get('/account');
  return phone;
}
