import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openTill, pendingCount, useCounterServer } from '../support/counter-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';
import { PHONE } from '../support/portal-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const BUYER = 'buyer@example.test';

const shop = useCounterServer('claim');

test('a buyer claims a code from a phone by e-mailed link, and the POS sees it claimed', async ({
  browser,
}) => {
  const counter = await browser.newContext();
  const till = await counter.newPage();
  await openTill(till, shop);

  await till.getByRole('button', { name: /Add Gift card €25/ }).click();
  await till.getByRole('button', { name: /^Charge/ }).click();
  await till.getByLabel('E-mail the codes to (optional)').fill(BUYER);
  await till.getByLabel('Cash received').fill('50');
  await till.getByRole('button', { name: 'Complete sale' }).click();
  const card = till.getByTestId('code-card');
  await expect(card).toHaveCount(1);
  const code = (await card.getAttribute('data-code')) ?? '';
  expect(code).toMatch(/^[0-9A-Z]{16,}$/);
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);

  // The customer's phone: no JavaScript, a phone-sized screen.
  const phone = await browser.newContext(PHONE);
  const customer = await phone.newPage();
  await customer.goto(`${shop.server.url}/redeem/${code}`);
  await expect(customer.getByRole('heading', { name: 'Gift card €25' })).toBeVisible();
  await expect(customer.getByRole('heading', { name: 'Claim it to your account' })).toBeVisible();
  await customer.getByLabel('E-mail address').fill(BUYER);
  await customer.getByRole('button', { name: 'Send me a link' }).click();
  await expect(customer.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();

  const mail = await waitForEmail(shop.dataDir, 'magic-link-email');
  expect(mail.subject).toBe('Claim your Gift card €25');
  const link = /https?:\/\/\S+\/auth\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? '')?.[0];
  expect(link).toBeDefined();
  await customer.goto(link!);
  await expect(customer.getByRole('heading', { name: 'Continue to your account' })).toBeVisible();
  await customer.getByRole('button', { name: 'Continue' }).click();

  await expect(customer).toHaveURL(/\/account$/);
  await expect(customer.getByRole('heading', { name: 'Your account' })).toBeVisible();
  const held = customer.locator(`li[data-code="${code}"]`);
  await expect(held).toContainText('Claimed');
  await expect(held).toContainText('Claimed by you on');
  await expect(customer.getByText(`Signed in as ${BUYER}.`)).toBeVisible();
  await customer.screenshot({ path: path.join(SCREENSHOTS, 'account.png'), fullPage: true });

  // The link works once: opening it again says so.
  await customer.goto(link!);
  await expect(customer.getByText('This link has expired or was already used.')).toBeVisible();
  await phone.close();

  // Back at the counter, the receipt learns the claim from the server's live stream.
  const claimedCard = till.locator(`[data-testid="code-card"][data-code="${code}"]`);
  await expect(claimedCard.getByTestId('code-state')).toHaveText('Active', { timeout: 20_000 });
  await counter.close();
});
