import path from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { Sale } from '../../shared/schemas/sale.ts';
import { DATABASE_FILE } from '../../sync-server/db/connection.ts';
import { openTill, pendingCount, useCounterServer } from '../support/counter-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');

const shop = useCounterServer('discount-tax');

/** The sale as the server stored it, read from its database file. */
function storedSale(receiptNumber: string): Sale {
  const db = new Database(path.join(shop.dataDir, DATABASE_FILE), { readonly: true });
  try {
    const row = db.prepare('SELECT body FROM sales WHERE receipt_number = ?').get(receiptNumber) as
      { body: string } | undefined;
    if (!row) throw new Error(`The server has no sale ${receiptNumber}.`);
    return Sale.parse(JSON.parse(row.body));
  } finally {
    db.close();
  }
}

test('line and cart discounts with VAT per class: the cart, the receipt and the server agree', async ({
  browser,
}) => {
  const counter = await browser.newContext();
  const till = await counter.newPage();
  await openTill(till, shop);
  for (const product of ['Design Suite licence', 'Concert ticket — Winter Gala', 'Gift card €25']) {
    await till.getByRole('button', { name: new RegExp(`^Add ${product}`) }).click();
  }
  const cart = till.getByRole('complementary', { name: 'Cart' });
  await expect(
    cart
      .getByTestId('cart-line')
      .filter({ hasText: 'Gift card €25' })
      .getByText('Sold at face value: no discount'),
  ).toBeVisible();
  await expect(cart.getByTestId('cart-total')).toHaveText('€269.00');

  // A line discount: the form refuses what is not a percentage and says what to type.
  await cart.getByRole('button', { name: 'Discount… Design Suite licence' }).click();
  await cart.getByLabel('Percentage off').fill('ten');
  await cart.getByRole('button', { name: 'Apply discount' }).click();
  await expect(cart.getByRole('alert')).toHaveText(
    'Type a percentage from 0.001 to 100, such as 10 or 12.5.',
  );
  await cart.getByLabel('Percentage off').fill('10');
  await cart.getByLabel('Percentage off').press('Enter');
  const licence = cart.getByTestId('cart-line').filter({ hasText: 'Design Suite licence' });
  await expect(licence.getByTestId('line-discount')).toHaveText('10% off−€19.90');

  // A cart discount of €5.00, spread over the lines by largest remainder.
  await cart.getByRole('button', { name: 'Discount on the whole cart…' }).click();
  await cart.getByRole('button', { name: 'EUR off' }).click();
  await cart.getByLabel('Amount off (EUR)').fill('500');
  await cart.getByRole('button', { name: 'Apply discount' }).click();
  // It comes off the licence and the ticket: a gift card is sold at face value.
  await expect(cart.getByRole('alert')).toHaveText(
    'That is more than the €224.10 it comes off. Type at most €224.10, or 100 %.',
  );
  await cart.getByLabel('Amount off (EUR)').fill('5');
  await cart.getByRole('button', { name: 'Apply discount' }).click();
  await expect(cart.getByTestId('cart-discount-label')).toHaveText('Cart: €5.00 off');

  // Subtotal €269.00, discounts €19.90 + €5.00 (€4.00 + €1.00 by largest remainder); VAT inside
  // each class, rounded once per class: 20 % of €175.10 gross is €29.18; 10 % of €44.00 is €4.00.
  await expect(cart.getByTestId('cart-subtotal')).toHaveText('€269.00');
  await expect(cart.getByTestId('cart-discounts')).toHaveText('−€24.90');
  await expect(cart.getByTestId('cart-tax')).toHaveText([
    'incl. VAT 20%€29.18',
    'incl. VAT reduced 10%€4.00',
  ]);
  await expect(cart.getByTestId('cart-total')).toHaveText('€244.10');
  await till.screenshot({ path: path.join(SCREENSHOTS, 'discounts.png'), fullPage: true });

  await cart.getByRole('button', { name: /^Charge €244\.10/ }).click();
  await till.getByRole('button', { name: /^Exact €244\.10/ }).click();
  const receiptNumber = (await till.getByTestId('receipt-number').textContent()) ?? '';
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);

  // The server re-priced the sale with the same rule and stored the same figures.
  const stored = storedSale(receiptNumber);
  expect({
    subtotal: stored.subtotal,
    discountTotal: stored.discountTotal,
    taxTotal: stored.taxTotal,
    total: stored.total,
  }).toEqual({ subtotal: 26900, discountTotal: 2490, taxTotal: 3318, total: 24410 });
  expect(stored.cartDiscount).toEqual({ kind: 'amount', amount: 500 });
  expect(
    stored.lines.map((line) => [
      line.name,
      line.discountAmount,
      line.tax?.amount ?? null,
      line.total,
    ]),
  ).toEqual([
    // The gift card is sold at face value: the cart discount is spread over the other two.
    ['Design Suite licence', 1990 + 400, 2918, 17510],
    ['Concert ticket — Winter Gala', 100, 400, 4400],
    ['Gift card €25', 0, null, 2500],
  ]);
  await till.getByRole('link', { name: /^Sales/ }).click();
  const row = till.locator(`[data-testid="sale-row"][data-receipt="${receiptNumber}"]`);
  await expect(row).toContainText('€244.10');
  await expect(row).toContainText('Synced');
  await counter.close();
});
