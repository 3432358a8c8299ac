import { expect, test } from '@playwright/test';
import { openTill, pendingCount, useCounterServer } from '../support/counter-e2e.ts';
import { approveAsManager } from '../support/staff-e2e.ts';

const shop = useCounterServer('refund-card', { fakeStripe: true });

test('a line of a split-tender sale goes back to the card first, the rest in cash', async ({
  page: till,
}) => {
  await openTill(till, shop);
  await till.getByRole('button', { name: /^Add Diagnostic test voucher/ }).click();
  await till.getByRole('button', { name: /^Add Gift card €25/ }).click();
  await till.getByRole('button', { name: /^Charge/ }).click();
  await expect(till.getByTestId('amount-due')).toHaveText('€114.00');
  await till.getByRole('button', { name: 'Connect reader' }).click();
  await till.getByLabel('Amount to charge the card').fill('50');
  await till.getByRole('button', { name: /^Pay by card €50\.00/ }).click();
  await expect(till.getByTestId('card-message')).toHaveText('Card approved: €50.00.');
  await till.getByLabel('Cash received').fill('64');
  await till.getByRole('button', { name: 'Complete sale' }).click();
  const receipt = (await till.getByTestId('receipt-number').textContent()) ?? '';
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);

  await till.getByRole('link', { name: /^Sales/ }).click();
  const row = till.locator(`[data-testid="sale-row"][data-receipt="${receipt}"]`);
  await row.getByRole('link', { name: `Refund… receipt ${receipt}` }).click();
  const refund = till.getByRole('form', { name: `Refund receipt ${receipt}` });
  await refund.getByLabel(/Diagnostic test voucher/).check();
  await expect(till.getByTestId('refund-summary')).toHaveText(
    /^€89\.00 back: €50\.00 to Visa •••• 4242, €39\.00 cash from the drawer\.$/,
  );
  await refund.getByLabel('Reason (required)').fill('Test no longer needed');
  await refund.getByRole('button', { name: 'Refund €89.00' }).click();
  await approveAsManager(till);
  await expect(till.getByTestId('refund-done')).toHaveText(
    'Refund of €89.00 recorded. Give €39.00 cash from the drawer.',
  );
  // The card money went back through the server to Stripe while the cashier waited.
  const [intent] = [...shop.fake.intents.values()];
  expect(shop.fake.refunds).toEqual([
    {
      id: expect.stringMatching(/^re_/) as unknown,
      paymentIntent: intent?.id,
      amount: 5000,
      status: 'succeeded',
    },
  ]);

  // What is left of the sale is the gift card, and the card has nothing left to give back.
  await refund.getByLabel(/Gift card €25/).check();
  await expect(till.getByTestId('refund-summary')).toHaveText(
    '€25.00 back: €25.00 cash from the drawer.',
  );
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  await expect(till.getByTestId('rejected-count')).toHaveCount(0);
});
