import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { freePort } from '../support/free-port.ts';
import { waitForEmail } from '../support/mail-folder.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const CUSTOMER = 'lucky.friend@example.test';

let dataDir: string;
let server: ServerProcess;

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'entitle-gift-card-'));
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

test('a gift card is claimed on a phone and is active at once, with its balance', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(server.url);
  const sale = await till.makeSale([
    {
      productId: 'prod-gift-50',
      name: 'Gift card €50',
      kind: 'gift_card',
      unitPrice: 5000,
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
  await expect(customer.getByText('A gift card with €50.00 on it.')).toBeVisible();
  await expect(customer.getByRole('button', { name: 'Redeem now' })).toHaveCount(0);
  // Nothing to register: claiming it is the whole onboarding.
  await claimByEmail(customer, code);
  const confirmation = await waitForEmail(dataDir, 'onboarding-confirmation');
  expect(confirmation.subject).toBe('Registered: your Gift card €50');
  expect(confirmation.text).toContain('It is active: you can use it now.');

  await customer.goto(`${server.url}/account/codes/${code}/registered`);
  await expect(
    customer.getByRole('heading', { name: 'Registered — what happens next' }),
  ).toBeVisible();
  await customer.getByRole('link', { name: 'See the code' }).click();
  await expect(customer.locator('dd[data-state]')).toHaveText('Active');
  await expect(customer.locator('dd[data-balance]')).toHaveText('€50.00');
  await expect(customer.getByText(/Valid (until|through)/)).toBeVisible();
  await expect(customer.getByRole('button')).toHaveCount(0);
  await customer.screenshot({ path: 'docs/screenshots/gift-card.png', fullPage: true });
  await phone.close();
});
