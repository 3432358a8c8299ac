import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { freePort } from '../support/free-port.ts';
import { waitForEmail } from '../support/mail-folder.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const CUSTOMER = 'patient.parent@example.test';

let dataDir: string;
let server: ServerProcess;

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'entitle-voucher-'));
  server = await startServerProcess({ dataDir, port: await freePort() });
});

test.afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Code page → e-mail → link from the .eml → signed in, as a customer does it. */
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

test('a diagnostic test voucher is claimed on a phone, registered to the patient and active', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(server.url);
  const sale = await till.makeSale([
    {
      productId: 'prod-pcr-test',
      name: 'Diagnostic test voucher',
      kind: 'voucher',
      unitPrice: 8900,
      quantity: 1,
    },
  ]);
  await till.push('sales', [sale]);
  const code = sale.lines[0]?.codes[0] ?? '';

  const phone = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
  });
  const customer = await phone.newPage();
  await customer.goto(`${server.url}/redeem/${formatCode(code)}`);
  await expect(
    customer.getByText('Voucher for one person — you will register them.'),
  ).toBeVisible();
  await expect(customer.getByRole('button', { name: 'Redeem now' })).toHaveCount(0);
  await claimByEmail(customer, code);

  await customer.goto(`${server.url}/account/codes/${code}`);
  await expect(customer.getByRole('heading', { name: 'Diagnostic test voucher' })).toBeVisible();
  await expect(customer.getByText(/Valid (until|through)/)).toBeVisible();
  // A mistake first: the form says what to fix and keeps what was typed.
  await customer.getByLabel('Full name').fill('Ada Lovelace');
  await customer.getByLabel('Date of birth').fill('2014-05-02');
  await customer.getByLabel('E-mail').fill('not an address');
  await customer.getByRole('button', { name: 'Register' }).click();
  await expect(
    customer.getByText('E-mail must be an e-mail address such as name@example.com.'),
  ).toBeVisible();
  await expect(customer.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
  await expect(customer.getByLabel('Full name')).toHaveValue('Ada Lovelace');
  await customer.getByLabel('E-mail').fill(CUSTOMER);
  await customer.getByRole('button', { name: 'Register' }).click();

  await expect(
    customer.getByRole('heading', { name: 'Registered — what happens next' }),
  ).toBeVisible();
  const confirmation = await waitForEmail(dataDir, 'onboarding-confirmation');
  expect(confirmation.subject).toBe('Registered: your Diagnostic test voucher');
  expect(confirmation.text).toContain('It is active: you can use it now.');

  await customer.getByRole('link', { name: 'See the code' }).click();
  await expect(customer.locator('dd[data-state]')).toHaveText('Active');
  await expect(customer.locator('dd[data-subject]')).toHaveText('Ada Lovelace');
  await customer.screenshot({ path: 'docs/screenshots/onboard-voucher.png', fullPage: true });
  await phone.close();
});
