import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { PHONE, claimByEmail, usePortalServer } from '../support/portal-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';

const CUSTOMER = 'lucky.friend@example.test';

const portal = usePortalServer('gift-card');

test('a gift card is claimed on a phone and is active at once, with its balance', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(portal.url);
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

  const phone = await browser.newContext(PHONE);
  const customer = await phone.newPage();
  await customer.goto(`${portal.url}/redeem/${formatCode(code)}`);
  await expect(customer.getByText('A gift card with €50.00 on it.')).toBeVisible();
  await expect(customer.getByRole('button', { name: 'Redeem now' })).toHaveCount(0);
  // Nothing to register: claiming it is the whole onboarding.
  await claimByEmail(customer, portal, { code, email: CUSTOMER });
  const confirmation = await waitForEmail(portal.dataDir, 'onboarding-confirmation');
  expect(confirmation.subject).toBe('Registered: your Gift card €50');
  expect(confirmation.text).toContain('It is active: you can use it now.');

  await customer.goto(`${portal.url}/account/codes/${code}/registered`);
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
