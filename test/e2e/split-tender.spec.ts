import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openTill, pendingCount, useCounterServer } from '../support/counter-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');

const shop = useCounterServer('split-tender', { fakeStripe: true });

test('a sale paid part by card and part by cash syncs and the server accepts it', async ({
  page: till,
}) => {
  await openTill(till, shop);
  await till.getByRole('button', { name: /^Add Diagnostic test voucher/ }).click();
  await till.getByRole('button', { name: /^Charge/ }).click();
  await expect(till.getByTestId('amount-due')).toHaveText('€89.00');

  // No reader yet: card is off with the reason and the action.
  await expect(till.getByTestId('card-unavailable')).toHaveText('No card reader is connected.');
  await expect(till.getByRole('button', { name: /^Pay by card/ })).toBeDisabled();
  await till.getByRole('button', { name: 'Connect reader' }).click();
  await expect(till.getByTestId('simulated-reader')).toHaveText(
    'Simulated reader — no real card is charged',
  );

  await till.getByLabel('Amount to charge the card').fill('50');
  await till.getByRole('button', { name: /^Pay by card €50\.00/ }).click();
  await expect(till.getByTestId('card-message')).toHaveText('Card approved: €50.00.');
  await expect(till.getByTestId('amount-due')).toHaveText('€39.00');
  await expect(till.getByTestId('card-payments')).toContainText('•••• 4242');
  await till.getByLabel('Cash received').fill('40');
  await expect(till.getByTestId('change-preview')).toHaveText('€1.00');
  await till.screenshot({ path: path.join(SCREENSHOTS, 'split-tender.png'), fullPage: true });

  // The card money is on the stored cart: a reload loses nothing.
  await till.reload();
  await expect(till.getByTestId('amount-due')).toHaveText('€39.00');
  await till.getByLabel('Cash received').fill('40');
  await till.getByRole('button', { name: 'Complete sale' }).click();

  await expect(till.getByTestId('code-card')).toHaveCount(1);
  const payments = till.locator('.receipt-payment');
  await expect(payments).toHaveCount(2);
  await expect(payments.nth(0)).toContainText(/Card.*•••• 4242/i);
  await expect(payments.nth(0)).toContainText('€50.00');
  await expect(payments.nth(1)).toContainText('Cash');
  await expect(payments.nth(1)).toContainText('€39.00');

  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  await expect(till.getByTestId('rejected-count')).toHaveCount(0);
  const [intent] = [...shop.fake.intents.values()];
  expect(intent).toMatchObject({ status: 'succeeded', amountReceived: 5000 });
});
