import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  API_PREFIX,
  EnrolResponse,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
} from '../../shared/schemas/protocol.ts';
import { GIFT_25 } from '../../sync-server/test-support/sales.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import {
  DEMO_DASHBOARD_ADMIN,
  DEMO_DASHBOARD_MANAGER,
  signInToDashboard,
  useDashboardServer,
} from '../support/dashboard-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const shop = useDashboardServer('dashboard-admin');

test('a manager signs in, adds a cashier, changes the discount limit, pairs and revokes a terminal', async ({
  page,
}) => {
  // A till that sold today, so the overview has numbers.
  const frontTill = await enrolApiTerminal(shop.url, 'Front till');
  const sales = [
    await frontTill.makeSale([GIFT_25]),
    await frontTill.makeSale([{ ...GIFT_25, quantity: 2 }]),
  ];
  await frontTill.push('sales', sales);

  // Signed out, the dashboard sends you to sign in; a wrong password says so and lets you retry.
  await page.goto(`${shop.url}/dashboard`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('E-mail').fill(DEMO_DASHBOARD_MANAGER.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'That e-mail and password do not match. Check both and try again.',
  );
  await signInToDashboard(page, shop.url);
  await expect(page.getByText('€75.00')).toBeVisible();
  await expect(page.getByText('2 sales')).toBeVisible();

  // Staff: add a cashier with a PIN; a weak PIN is refused first, with the reason.
  await page.getByRole('navigation').getByRole('link', { name: 'Staff' }).click();
  await page.getByRole('link', { name: 'Add a staff member' }).click();
  await page.getByLabel('Name').fill('Jamie (cashier)');
  await page.getByLabel('Role').selectOption('cashier');
  await page.getByLabel('PIN for the counter (optional)').fill('1234');
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await expect(page.getByText('A PIN that counts up or down')).toBeVisible();
  await page.getByLabel('PIN for the counter (optional)').fill('4826');
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await expect(page.getByRole('status')).toContainText('Staff member added.');
  const jamie = page.getByRole('row', { name: /Jamie \(cashier\)/ });
  await expect(jamie).toContainText('Cashier');
  await expect(jamie).toContainText('Yes'); // has a PIN
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-staff.png'), fullPage: true });

  // Settings: the discount limit, as a percent.
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
  const discount = page.getByLabel('Discounts above this need a manager (%)');
  await expect(discount).toHaveValue('10');
  await discount.fill('15');
  await page.getByRole('button', { name: /Save settings/ }).click();
  await expect(page.getByRole('status')).toContainText('Settings saved.');
  await expect(discount).toHaveValue('15');

  // Terminals: a new pairing code, shown once, that enrols a terminal.
  await page.getByRole('navigation').getByRole('link', { name: 'Terminals' }).click();
  await page.getByRole('button', { name: 'New pairing code' }).click();
  const code = (await page.getByTestId('pairing-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const enrolled = await fetch(`${shop.url}${API_PREFIX}/enrol`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pairingCode: code, terminalName: 'Back office till' }),
  });
  expect(enrolled.status).toBe(200);
  const backTill = EnrolResponse.parse(await enrolled.json());

  // Revoke it, behind a confirmation; it is refused on its next request.
  await page.getByRole('link', { name: 'Back to terminals' }).click();
  await page
    .getByRole('row', { name: /Back office till/ })
    .getByRole('link', { name: /Revoke/ })
    .click();
  await expect(page.getByText('Revoke Back office till?')).toBeVisible();
  await page.getByRole('button', { name: 'Revoke Back office till' }).click();
  await expect(page.getByRole('status')).toContainText('The terminal is revoked.');
  await expect(page.getByRole('row', { name: /Back office till/ })).toContainText('Revoked');
  const refused = await fetch(`${shop.url}${API_PREFIX}/sync/products/pull`, {
    headers: {
      authorization: `Bearer ${backTill.token}`,
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    },
  });
  expect(refused.status).toBe(401);
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'dashboard-terminals.png'),
    fullPage: true,
  });

  await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByText('Revoked: it can no longer sync.')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-overview.png'), fullPage: true });

  // Signing out ends the session: the dashboard asks to sign in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await page.goto(`${shop.url}/dashboard/staff`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('an admin creates a store and corrects a product template, with the reason shown first', async ({
  page,
}) => {
  await signInToDashboard(page, shop.url, DEMO_DASHBOARD_ADMIN);
  await page.getByRole('navigation').getByRole('link', { name: 'Stores' }).click();
  await page.getByLabel('Name').fill('Harbour Shop');
  await page.getByLabel('Currency').fill('GBP');
  await page.getByRole('button', { name: 'Create store' }).click();
  await expect(page.getByRole('status')).toContainText('Store created.');
  await expect(page.getByRole('row', { name: /Harbour Shop/ })).toContainText('GBP');

  await page.getByRole('navigation').getByRole('link', { name: 'Catalogue' }).click();
  await page.getByLabel('Store').selectOption({ label: 'Entitle Demo Shop' });
  await page.getByRole('button', { name: 'Show' }).click();
  await page
    .getByRole('row', { name: /Diagnostic test voucher/ })
    .getByRole('link', { name: /Edit/ })
    .click();
  const template = page.getByLabel('Template (JSON)');
  await expect(template).toHaveValue(/"days": 180/);
  await template.fill('{ "kind": "voucher", "validity": { "kind": "days", "days": 0 } }');
  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByRole('alert')).toHaveText('Nothing was saved. Correct the marked fields.');
  await expect(page.getByText('The template of prod-pcr-test is not valid')).toBeVisible();
  await template.fill(
    '{ "kind": "voucher", "validity": { "kind": "days", "days": 90 }, "fulfilment": { "action": "none" } }',
  );
  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByRole('status')).toContainText('Template saved.');
  await expect(template).toHaveValue(/"days": 90/);
});
