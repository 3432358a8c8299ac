import { expect, test, type Page } from '@playwright/test';
import { openTill, pendingCount, useCounterServer } from '../support/counter-e2e.ts';

const shop = useCounterServer('card-outcomes', { fakeStripe: true });

/** A till with `product` in the cart, on the tender screen, the simulated reader connected. */
async function tenderWith(till: Page, product: string) {
  await openTill(till, shop);
  await till.getByRole('button', { name: new RegExp(`^Add ${product}`) }).click();
  await till.getByRole('button', { name: /^Charge/ }).click();
  await till.getByRole('button', { name: 'Connect reader' }).click();
  await expect(till.getByTestId('simulated-reader')).toBeVisible();
}

test('a declined card says what to do, and cash still completes the sale', async ({
  page: till,
}) => {
  await tenderWith(till, 'Gift card €25');
  // Stripe's simulated reader declines amounts ending in .01 with call_issuer.
  await till.getByLabel('Amount to charge the card').fill('10.01');
  await till.getByRole('button', { name: /^Pay by card/ }).click();
  await expect(till.getByTestId('card-message')).toHaveText(
    'Declined by the card issuer: the customer should call their bank. Ask for another card or take cash.',
  );
  await expect(till.getByTestId('amount-due')).toHaveText('€25.00');
  await till.getByRole('button', { name: /^Exact/ }).click();
  await expect(till.getByTestId('code-card')).toHaveCount(1);
  await expect(till.locator('.receipt-payment')).toHaveCount(1);
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  await expect(till.getByTestId('rejected-count')).toHaveCount(0);
});

test('a partial approval records what the card paid; cash pays the rest', async ({
  page: till,
}) => {
  await tenderWith(till, 'Diagnostic test voucher');
  await till.getByLabel('Test card (simulated reader)').selectOption('partial_approval');
  await till.getByRole('button', { name: /^Pay by card €89\.00/ }).click();
  await expect(till.getByTestId('card-message')).toHaveText(
    'Partly approved: the card paid €44.50 of €89.00. Take the rest by another card or cash.',
  );
  await expect(till.getByTestId('amount-due')).toHaveText('€44.50');
  await expect(till.getByTestId('card-payments')).toContainText('partly approved');
  await till.getByLabel('Cash received').fill('50');
  await till.getByRole('button', { name: 'Complete sale' }).click();
  await expect(till.locator('.receipt-payment')).toHaveCount(2);
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  await expect(till.getByTestId('rejected-count')).toHaveCount(0);
});

test('Cancel sale refunds the card taken and empties the cart', async ({ page: till }) => {
  await tenderWith(till, 'Gift card €50');
  await till.getByLabel('Amount to charge the card').fill('20');
  await till.getByRole('button', { name: /^Pay by card €20\.00/ }).click();
  await expect(till.getByTestId('amount-due')).toHaveText('€30.00');
  const paid = [...shop.fake.intents.values()].find(
    (intent) => intent.status === 'succeeded' && intent.amountReceived === 2000,
  );
  expect(paid).toBeDefined();

  await till.getByRole('button', { name: 'Cancel sale and refund the card' }).click();
  await expect(till).toHaveURL(/#\/sell$/);
  await expect(till.getByTestId('cart-line')).toHaveCount(0);
  expect(shop.fake.refunds).toContainEqual(
    expect.objectContaining({ paymentIntent: paid?.id, amount: 2000 }),
  );
});

// Last in this file: it stops the sync server.
test('offline, card is off with the reason and cash completes without waiting', async ({
  page: till,
}) => {
  await tenderWith(till, 'Flu vaccination voucher');
  await shop.server.stop();
  await expect(till.getByTestId('online-status')).toHaveText('Offline');
  await expect(till.getByTestId('card-unavailable')).toHaveText(
    'Offline: card payments need the server. Take cash.',
  );
  await expect(till.getByRole('button', { name: /^Pay by card/ })).toBeDisabled();
  // Enter on the empty cash field pays the exact amount.
  await till.getByLabel('Cash received').press('Enter');
  await expect(till.getByTestId('code-card')).toHaveCount(1);
  await expect(till.getByTestId('pending-count')).toHaveText('1 waiting to sync');
});
