import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { openTill, pendingCount, useCounterServer } from '../support/counter-e2e.ts';
import { approveAsManager } from '../support/staff-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';
import { PHONE } from '../support/portal-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const FRIEND = 'friend@example.test';

const shop = useCounterServer('counter-gift');

test('a cashier sells a gift card as a gift, the recipient gets it, then the sale is voided', async ({
  browser,
}) => {
  const counter = await browser.newContext();
  const till = await counter.newPage();
  await openTill(till, shop);

  const tile = till.getByRole('button', { name: /Add Gift card €25/ });
  await expect(tile.getByTestId('tile-summary')).toHaveText('Gift card · €25 balance');
  await tile.click();

  // The gift form refuses an empty recipient and says what to do.
  await till.getByRole('button', { name: 'Gift… Gift card €25' }).click();
  await till.getByRole('button', { name: 'Save gift' }).click();
  await expect(till.getByText("Type the recipient's e-mail address.")).toBeVisible();
  await till.getByLabel("Recipient's e-mail").fill(FRIEND);
  await till.getByLabel('Message (optional)').fill('Happy birthday from the shop!');
  await till.getByLabel("Recipient's e-mail").press('Enter');
  await expect(till.getByTestId('gift-label')).toHaveText(`Gift for ${FRIEND} (sends today)`);
  // Keyboard users carry on from the line they were on.
  await expect(
    till.getByRole('button', { name: 'Change the gift of Gift card €25' }),
  ).toBeFocused();

  // The gift is in the stored cart: a reload loses nothing.
  await till.reload();
  await expect(till.getByTestId('gift-label')).toHaveText(`Gift for ${FRIEND} (sends today)`);

  await till.getByRole('button', { name: /^Charge/ }).click();
  await expect(till.getByRole('list', { name: 'Gifts in this sale' })).toHaveText(
    `Gift card €25: Gift for ${FRIEND} (sends today)`,
  );
  await till.getByLabel('Cash received').fill('50');
  await till.getByRole('button', { name: 'Complete sale' }).click();
  await expect(till.getByTestId('gift-note')).toHaveText(`Gift for ${FRIEND} — e-mailed today`);
  const card = till.getByTestId('code-card');
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('code-note')).toContainText(/^Valid until \d{1,2} \w{3} \d{4}$/);
  const code = (await card.getAttribute('data-code')) ?? '';
  const receiptNumber = (await till.getByTestId('receipt-number').textContent()) ?? '';
  await till.screenshot({ path: path.join(SCREENSHOTS, 'gift-at-counter.png'), fullPage: true });
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);

  const mail = await waitForEmail(shop.dataDir, 'gift-email', { timeoutMs: 30_000 });
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(FRIEND);
  expect(mail.text).toContain(formatCode(code));
  expect(mail.text).toContain('Happy birthday from the shop!');

  // Void from the Sales screen: a reason is required, and it happens once.
  await till.getByRole('link', { name: 'Sales' }).click();
  const row = till.locator(`[data-testid="sale-row"][data-receipt="${receiptNumber}"]`);
  await row.getByRole('button', { name: `Void… receipt ${receiptNumber}` }).click();
  await expect(till.getByText('The codes on this receipt stop working')).toBeVisible();
  await till.getByRole('button', { name: `Void receipt ${receiptNumber}` }).click();
  await expect(till.getByRole('alert')).toHaveText('Say why the sale is voided, for the audit.');
  await till.getByLabel('Reason (required)').fill('Customer paid with the wrong card');
  await till.getByRole('button', { name: `Void receipt ${receiptNumber}` }).click();
  await approveAsManager(till);
  await expect(row.getByTestId('voided-badge')).toHaveText('Voided');
  await expect(row.getByRole('button', { name: /^Void…/ })).toHaveCount(0);
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  await expect(row.getByTestId('void-sync')).toHaveCount(0);
  await till.screenshot({ path: path.join(SCREENSHOTS, 'void-at-counter.png'), fullPage: true });

  await row.getByRole('link', { name: receiptNumber }).click();
  await expect(till.getByTestId('voided-banner')).toContainText('VOIDED');
  await expect(till.getByTestId('code-state')).toHaveText('Voided', { timeout: 20_000 });
  await counter.close();

  // The code's public page, on a phone without JavaScript, says it is voided.
  const phone = await browser.newContext(PHONE);
  const customer = await phone.newPage();
  await customer.goto(`${shop.server.url}/redeem/${code}`);
  await expect(customer.getByText('Voided', { exact: true }).first()).toBeVisible();
  await expect(customer.getByText(/This code was voided by the shop/)).toBeVisible();
  await phone.close();
});
