import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { PHONE, claimByEmail, usePortalServer } from '../support/portal-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';

const CUSTOMER = 'gala.guest@example.test';

const portal = usePortalServer('ticket');

test('a Winter Gala ticket is claimed on a phone, the attendee named, and it is active', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(portal.url);
  const sale = await till.makeSale([
    {
      productId: 'prod-winter-gala',
      name: 'Concert ticket — Winter Gala',
      kind: 'ticket',
      unitPrice: 4500,
      quantity: 1,
    },
  ]);
  await till.push('sales', [sale]);
  const code = sale.lines[0]?.codes[0] ?? '';

  const phone = await browser.newContext(PHONE);
  const customer = await phone.newPage();
  await customer.goto(`${portal.url}/redeem/${formatCode(code)}`);
  // The demo gala is always 30 days after the demo was seeded.
  await expect(
    customer.getByText(/Ticket for Winter Gala on \d+ \w+ \d{4} at 19:30 UTC/),
  ).toBeVisible();
  await claimByEmail(customer, portal, { code, email: CUSTOMER });

  await customer.goto(`${portal.url}/account/codes/${code}`);
  await expect(customer.locator('dd[data-event-date]')).toContainText('19:30 UTC');
  await customer.getByRole('button', { name: 'Register' }).click();
  await expect(customer.getByText('Attendee name is required.')).toBeVisible();
  await customer.getByLabel('Attendee name').fill('Grace Hopper');
  await customer.getByRole('button', { name: 'Register' }).click();
  await expect(
    customer.getByRole('heading', { name: 'Registered — what happens next' }),
  ).toBeVisible();
  await expect(customer.getByText('Show the code at the entrance of Winter Gala')).toBeVisible();
  const confirmation = await waitForEmail(portal.dataDir, 'onboarding-confirmation');
  expect(confirmation.subject).toBe('Registered: your Concert ticket — Winter Gala');

  await customer.getByRole('link', { name: 'See the code' }).click();
  await expect(customer.locator('dd[data-state]')).toHaveText('Active');
  await expect(customer.getByText('Grace Hopper')).toBeVisible();
  await customer.screenshot({ path: 'docs/screenshots/ticket.png', fullPage: true });
  await phone.close();
});
