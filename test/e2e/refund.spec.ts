import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/schemas/protocol.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { openTill, pendingCount, useCounterServer } from '../support/counter-e2e.ts';
import { approveAsManager } from '../support/staff-e2e.ts';
import { claimByEmail } from '../support/portal-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');

const shop = useCounterServer('refund');

/** Sells the named products for cash at the counter; returns the receipt and codes in line order. */
async function sell(till: Page, products: readonly string[]) {
  await till.getByRole('link', { name: 'Sell' }).click();
  for (const product of products) {
    await till.getByRole('button', { name: new RegExp(`^Add ${product}`) }).click();
  }
  await till.getByRole('button', { name: /^Charge/ }).click();
  // Exact cash completes the sale at once.
  await till.getByRole('button', { name: /^Exact/ }).click();
  const receipt = (await till.getByTestId('receipt-number').textContent()) ?? '';
  const cards = till.getByTestId('code-card');
  await expect(cards).toHaveCount(products.length);
  const codes = await cards.evaluateAll((items) => items.map((item) => item.dataset.code ?? ''));
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  return { receipt, codes };
}

/** The code's public page, as the customer sees it. */
async function stateOnServer(page: Page, code: string): Promise<string> {
  await page.goto(`${shop.server.url}/redeem/${formatCode(code)}`);
  return (await page.locator('body').textContent()) ?? '';
}

async function openRefund(till: Page, receipt: string) {
  await till.getByRole('link', { name: /^Sales/ }).click();
  const row = till.locator(`[data-testid="sale-row"][data-receipt="${receipt}"]`);
  await row.getByRole('link', { name: `Refund… receipt ${receipt}` }).click();
  await expect(till.getByRole('heading', { name: `Refund receipt ${receipt}` })).toBeVisible();
  return row;
}

test('a line is refunded online in cash, its codes voided; a used code blocks refunding its line', async ({
  browser,
}) => {
  const counter = await browser.newContext();
  const till = await counter.newPage();
  await openTill(till, shop);
  const { receipt, codes } = await sell(till, ['Concert ticket — Winter Gala', 'Gift card €25']);
  const [ticketCode, giftCode] = codes as [string, string];

  await openRefund(till, receipt);
  const refund = till.getByRole('form', { name: `Refund receipt ${receipt}` });
  await expect(refund.getByRole('button', { name: /^Refund €/ })).toBeDisabled();
  await refund.getByLabel(/Gift card €25/).check();
  await expect(till.getByTestId('refund-summary')).toHaveText(
    '€25.00 back: €25.00 cash from the drawer.',
  );
  await refund.getByRole('button', { name: 'Refund €25.00' }).click();
  await expect(till.getByRole('alert')).toHaveText('Say why the sale is refunded, for the audit.');
  await refund.getByLabel('Reason (required)').fill('Bought the wrong card');
  await till.screenshot({ path: path.join(SCREENSHOTS, 'refund.png'), fullPage: true });
  await refund.getByRole('button', { name: 'Refund €25.00' }).click();
  await approveAsManager(till);
  await expect(till.getByTestId('refund-done')).toHaveText(
    'Refund of €25.00 recorded. Give €25.00 cash from the drawer.',
  );
  await expect(refund.getByLabel(/Gift card €25/)).toBeDisabled();

  const row = till.locator(`[data-testid="sale-row"][data-receipt="${receipt}"]`);
  await till.getByRole('link', { name: 'Back to sales' }).first().click();
  await expect(row.getByTestId('refunded-badge')).toHaveText('Partly refunded €25.00');
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  // The receipt says so too, with what went back and why.
  await row.getByRole('link', { name: receipt, exact: true }).click();
  await expect(till.getByTestId('refunded-banner')).toContainText('PARTLY REFUNDED €25.00');
  await expect(till.getByTestId('refunded-banner')).toContainText(
    'Gift card €25 · Bought the wrong card',
  );
  await till.getByRole('button', { name: 'Back to sales' }).click();

  // The server voided exactly the refunded line's code.
  const phone = await browser.newContext();
  const customer = await phone.newPage();
  await expect.poll(() => stateOnServer(customer, giftCode)).toContain('Voided');
  expect(await stateOnServer(customer, ticketCode)).not.toContain('Voided');

  // The ticket is claimed, its attendee named, and used at the door...
  const portal = { url: shop.server.url, dataDir: shop.dataDir };
  await claimByEmail(customer, portal, { code: ticketCode, email: 'guest@example.test' });
  await customer.goto(`${shop.server.url}/account/codes/${ticketCode}`);
  await customer.getByLabel('Attendee name').fill('Grace Hopper');
  await customer.getByRole('button', { name: 'Register' }).click();
  await expect(customer.getByRole('heading', { name: /Registered/ })).toBeVisible();
  const door = await enrolApiTerminal(shop.server.url, 'Door');
  const consumed = await fetch(
    `${shop.server.url}${API_PREFIX}/entitlements/${ticketCode}/consume`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${door.credentials.token}`,
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      },
    },
  );
  expect(consumed.status).toBe(200);
  await phone.close();

  // ...so refunding the ticket is blocked online, naming the code, and nothing is written.
  await row.getByRole('link', { name: `Refund… receipt ${receipt}` }).click();
  await refund.getByRole('button', { name: 'Refund everything' }).click();
  await refund.getByLabel('Reason (required)').fill('Could not come');
  await refund.getByRole('button', { name: 'Refund €45.00' }).click();
  await approveAsManager(till);
  await expect(till.getByRole('alert')).toHaveText(
    `Code ${formatCode(ticketCode)} was already used, so its line cannot be refunded. Untick that line or ask a manager.`,
  );
  await till.getByRole('link', { name: 'Back to sales' }).first().click();
  await expect(row.getByTestId('refunded-badge')).toHaveText('Partly refunded €25.00');
  await counter.close();
});

test('a refund taken offline is recorded at once and its voids apply when the terminal syncs', async ({
  browser,
}) => {
  const counter = await browser.newContext();
  const till = await counter.newPage();
  await openTill(till, shop);
  const { receipt, codes } = await sell(till, ['Flu vaccination voucher']);

  // The server becomes unreachable: every API request fails as a dropped connection would.
  await counter.route(`${shop.server.url}/api/**`, (route) => route.abort('connectionrefused'));
  await openRefund(till, receipt);
  const refund = till.getByRole('form', { name: `Refund receipt ${receipt}` });
  await refund.getByRole('button', { name: 'Refund everything' }).click();
  await refund.getByLabel('Reason (required)').fill('Allergic to the vaccine');
  await refund.getByRole('button', { name: 'Refund €35.00' }).click();
  await approveAsManager(till);
  await expect(till.getByTestId('refund-done')).toHaveText(
    'Refund of €35.00 recorded. Give €35.00 cash from the drawer. Taken offline: the codes stop working when this terminal syncs.',
  );
  await till.getByRole('link', { name: 'Back to sales' }).first().click();
  const row = till.locator(`[data-testid="sale-row"][data-receipt="${receipt}"]`);
  await expect(row.getByTestId('refunded-badge')).toHaveText('Refunded €35.00');
  await expect(row.getByRole('link', { name: /^Refund…/ })).toHaveCount(0);
  await expect.poll(() => pendingCount(till)).toBe(1);
  await expect(row.getByTestId('refund-sync')).toHaveText('Refund waiting to sync');

  const phone = await browser.newContext();
  const customer = await phone.newPage();
  expect(await stateOnServer(customer, codes[0] ?? '')).not.toContain('Voided');

  await counter.unroute(`${shop.server.url}/api/**`);
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  await expect(row.getByTestId('refund-sync')).toHaveCount(0);
  await expect.poll(() => stateOnServer(customer, codes[0] ?? '')).toContain('Voided');
  await phone.close();
  await counter.close();
});
