import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { verifyLicenceFile } from '../../shared/templates/verify-licence.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { freePort } from '../support/free-port.ts';
import { waitForEmail } from '../support/mail-folder.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const CUSTOMER = 'it.manager@example.test';
const SEATS = Array.from({ length: 25 }, (_, i) => `designer${String(i + 1)}@example.test`);

let dataDir: string;
let server: ServerProcess;

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'entitle-licence-'));
  server = await startServerProcess({ dataDir, port: await freePort() });
});

test.afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function claimByEmail(customer: Page, code: string): Promise<void> {
  await customer.goto(`${server.url}/redeem/${formatCode(code)}`);
  await customer.getByLabel('E-mail address').fill(CUSTOMER);
  await customer.getByRole('button', { name: 'Send me a link' }).click();
  await expect(customer.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  const mail = await waitForEmail(dataDir, 'magic-link-email');
  const link = /https?:\/\/\S+\/auth\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? '')?.[0];
  expect(link).toBeDefined();
  await customer.goto(link ?? '');
  await customer.getByRole('button', { name: 'Continue' }).click();
  await expect(customer).toHaveURL(/\/account$/);
}

test('a 25-seat licence is claimed, its seats assigned in one textarea, and its file verifies offline', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(server.url);
  const sale = await till.makeSale([
    {
      productId: 'prod-team-licence',
      name: 'Design Suite team licence — 25 seats',
      kind: 'licence',
      unitPrice: 249900,
      quantity: 1,
    },
  ]);
  await till.push('sales', [sale]);
  const code = sale.lines[0]?.codes[0] ?? '';

  const phone = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    acceptDownloads: true,
  });
  const customer = await phone.newPage();
  await customer.goto(`${server.url}/redeem/${formatCode(code)}`);
  await expect(customer.getByText('Licence with 25 seats.')).toBeVisible();
  await claimByEmail(customer, code);

  await customer.goto(`${server.url}/account/codes/${code}`);
  // Bulk: 25 people in one form, not 25 forms.
  await customer.getByLabel('Seat holders').fill(SEATS.join('\n'));
  await customer.screenshot({ path: 'docs/screenshots/licence-seats.png', fullPage: true });
  await customer.getByRole('button', { name: 'Assign seats' }).click();
  await expect(
    customer.getByRole('heading', { name: 'Registered — what happens next' }),
  ).toBeVisible();
  const confirmation = await waitForEmail(dataDir, 'onboarding-confirmation');
  expect(confirmation.subject).toBe('Registered: your Design Suite team licence — 25 seats');
  const seatMail = await waitForEmail(dataDir, 'seat-assigned');
  expect(seatMail.subject).toBe('You have a seat of Design Suite team licence — 25 seats');

  await customer.getByRole('link', { name: 'See the code' }).click();
  await expect(customer.locator('dd[data-state]')).toHaveText('Active');
  await expect(customer.locator('dd[data-seats]')).toHaveText('25 of 25 assigned');
  const downloading = customer.waitForEvent('download');
  await customer.getByRole('link', { name: 'Download the licence file' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`licence-${code}.json`);
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as unknown;

  const key = (await (await fetch(`${server.url}/licence-key`)).json()) as { publicKey: string };
  const verdict = await verifyLicenceFile(file, key.publicKey);
  expect(verdict.valid).toBe(true);
  if (verdict.valid) expect(verdict.file.seats.map((seat) => seat.email)).toEqual(SEATS);
  const tampered = { ...(file as Record<string, unknown>), licensee: 'someone.else@example.test' };
  expect((await verifyLicenceFile(tampered, key.publicKey)).valid).toBe(false);
  await phone.close();
});
