import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatCode, issueCode } from '../../shared/code/entitlement-code.ts';
import { API_PREFIX, EnrolResponse } from '../../shared/schemas/protocol.ts';
import { codeKeyOf, saleMaker, syncHeaders } from '../../sync-server/test-support/sales.ts';
import { freePort } from '../support/free-port.ts';
import { waitForEmail } from '../support/mail-folder.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { startServerProcess } from '../support/server-process.ts';

const CUSTOMER = 'early@example.test';

let dataDir: string;
let server: ServerProcess;

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'entitle-provisional-'));
  server = await startServerProcess({
    dataDir,
    port: await freePort(),
    env: { PROVISIONAL_CLAIM_DAYS: '3' },
  });
});

test.afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('a code sold offline is claimed before its sale syncs, and confirmed when it arrives', async ({
  browser,
}) => {
  // A terminal that sold offline: its code is genuine, its sale not yet pushed.
  const enrolled = await fetch(`${server.url}${API_PREFIX}/enrol/demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ terminalName: 'Offline till' }),
  });
  expect(enrolled.status).toBe(200);
  const till = EnrolResponse.parse(await enrolled.json());
  const sale = await saleMaker(till)();
  const code = sale.lines[0]?.codes[0] ?? '';

  const phone = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
  });
  const customer = await phone.newPage();
  const forged = await issueCode({
    prefix: till.terminalPrefix,
    serial: 99,
    key: new Uint8Array(32),
  });
  expect(codeKeyOf(till)).not.toEqual(new Uint8Array(32));
  await customer.goto(`${server.url}/redeem/${forged}`);
  await expect(customer.getByText("We can't use this code.")).toBeVisible();
  await expect(customer.getByRole('button', { name: 'Claim it now' })).toHaveCount(0);

  await customer.goto(`${server.url}/redeem/${formatCode(code)}`);
  await expect(customer.getByRole('heading', { name: 'Your code is genuine' })).toBeVisible();
  await customer.getByLabel('E-mail address').fill(CUSTOMER);
  await customer.getByRole('button', { name: 'Claim it now' }).click();
  await expect(customer.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();

  const mail = await waitForEmail(dataDir, 'provisional-link-email');
  expect(mail.subject).toBe('Claim your code from Entitle Demo Shop');
  const link = /https?:\/\/\S+\/auth\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? '')?.[0];
  expect(link).toBeDefined();
  await customer.goto(link!);
  await customer.getByRole('button', { name: 'Continue' }).click();
  await expect(customer).toHaveURL(/\/account$/);
  const card = customer.locator(`li[data-code="${code}"]`);
  await expect(card).toContainText("Claimed — waiting for the shop's sale to arrive");

  // The till comes online and pushes the sale.
  const pushed = await fetch(`${server.url}${API_PREFIX}/sync/sales/push`, {
    method: 'POST',
    headers: { ...syncHeaders(till.token), 'content-type': 'application/json' },
    body: JSON.stringify({
      rows: [{ newDocumentState: { _deleted: false, ...sale }, assumedMasterState: null }],
    }),
  });
  expect(pushed.status).toBe(200);
  const confirmed = await waitForEmail(dataDir, 'provisional-claim-email');
  expect(confirmed.subject).toBe(`Your code ${formatCode(code)} is confirmed`);
  await customer.reload();
  await expect(card).toContainText('Claimed by you on');
  await expect(card).not.toContainText('waiting for the shop');
  await phone.close();
});
