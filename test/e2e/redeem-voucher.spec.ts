import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { PHONE, claimByEmail, usePortalServer } from '../support/portal-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';

const CUSTOMER = 'patient.parent@example.test';

const portal = usePortalServer('voucher');

test('a diagnostic test voucher is claimed on a phone, registered to the patient and active', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(portal.url);
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

  const phone = await browser.newContext(PHONE);
  const customer = await phone.newPage();
  await customer.goto(`${portal.url}/redeem/${formatCode(code)}`);
  await expect(
    customer.getByText('Voucher for one person — you will register them.'),
  ).toBeVisible();
  await expect(customer.getByRole('button', { name: 'Redeem now' })).toHaveCount(0);
  await claimByEmail(customer, portal, { code, email: CUSTOMER });

  await customer.goto(`${portal.url}/account/codes/${code}`);
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
  const confirmation = await waitForEmail(portal.dataDir, 'onboarding-confirmation');
  expect(confirmation.subject).toBe('Registered: your Diagnostic test voucher');
  expect(confirmation.text).toContain('It is active: you can use it now.');

  await customer.getByRole('link', { name: 'See the code' }).click();
  await expect(customer.locator('dd[data-state]')).toHaveText('Active');
  await expect(customer.locator('dd[data-subject]')).toHaveText('Ada Lovelace');
  await customer.screenshot({ path: 'docs/screenshots/onboard-voucher.png', fullPage: true });
  await phone.close();
});
