import path from 'node:path';
import { expect, test } from '@playwright/test';
import { useCounterServer } from '../support/counter-e2e.ts';
import { signIn } from '../support/staff-e2e.ts';
import { decodeQrPng } from '../support/qr.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');

const shop = useCounterServer('customer-display');

test('the customer display follows the cart live, then shows the sale’s QR codes, which decode to the receipt’s redemption URLs', async ({
  context,
}) => {
  const till = await context.newPage();
  await till.goto(shop.pos.url);
  await signIn(till);
  await expect(till.getByRole('button', { name: /Add Gift card €25/ })).toBeVisible();

  // The POS opens the display in a tab of its own (the cashier drags it to the second screen).
  const [display] = await Promise.all([
    context.waitForEvent('page'),
    till.getByRole('button', { name: 'Customer display' }).click(),
  ]);
  await display.setViewportSize({ width: 1024, height: 768 });
  await expect(display).toHaveURL(/#\/customer-display$/);
  await expect(
    display.getByRole('heading', { name: 'Welcome to Entitle Demo Shop' }),
  ).toBeVisible();
  // Only the customer's view: none of the cashier's screens, buttons or links.
  await expect(display.getByRole('button')).toHaveCount(0);
  await expect(display.getByRole('link')).toHaveCount(0);
  await expect(display.getByRole('searchbox')).toHaveCount(0);

  await till.getByRole('button', { name: /Add Gift card €25/ }).click();
  await till.getByRole('button', { name: /Add Concert ticket — Winter Gala/ }).click();
  await till.getByRole('button', { name: /Add Concert ticket — Winter Gala/ }).click();
  await expect(till.getByTestId('cart-total')).toHaveText('€115.00');

  const lines = display.getByTestId('display-line');
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0)).toContainText('1 ×Gift card €25€25.00');
  await expect(lines.nth(1)).toContainText('2 ×Concert ticket — Winter Gala€90.00');
  await expect(display.getByTestId('display-total')).toHaveText('€115.00');

  // Live: a line taken off at the till leaves the display at once.
  await till.getByRole('button', { name: 'Remove Gift card €25' }).click();
  await expect(lines).toHaveCount(1);
  await expect(display.getByTestId('display-total')).toHaveText('€90.00');

  await till.getByRole('button', { name: /^Charge/ }).click();
  await till.getByLabel('Cash received').fill('100');
  await till.getByLabel('Cash received').press('Enter');
  const cards = till.getByTestId('code-card');
  await expect(cards).toHaveCount(2);

  await expect(display.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  await expect(display.getByText('Paid €90.00 · change €10.00')).toBeVisible();
  const shown = display.getByTestId('display-code');
  await expect(shown).toHaveCount(2);

  // Each QR on the display decodes (jsQR) to the same URL as the receipt's QR for that code.
  const receiptUrls: string[] = [];
  for (const card of await cards.all()) {
    const url = decodeQrPng(await card.locator('svg.qr').screenshot());
    expect(url).toBe(`${shop.server.url}/redeem/${(await card.getAttribute('data-code')) ?? ''}`);
    receiptUrls.push(url ?? '');
  }
  const displayUrls: string[] = [];
  for (const code of await shown.all()) {
    displayUrls.push(decodeQrPng(await code.locator('svg.qr').screenshot()) ?? 'undecodable');
  }
  expect(displayUrls.sort()).toEqual(receiptUrls.sort());
  await display.screenshot({ path: path.join(SCREENSHOTS, 'customer-display.png') });

  // The thank-you stays while the cashier finishes up, and gives way as the next sale starts.
  await till.getByRole('button', { name: 'New sale' }).click();
  await expect(display.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  await till.getByRole('button', { name: /Add Gift card €25/ }).click();
  await expect(display.getByTestId('display-line')).toHaveCount(1);
  await expect(display.getByTestId('display-total')).toHaveText('€25.00');

  // A display opened later (or reloaded) asks the till and catches up at once.
  await display.reload();
  await expect(display.getByTestId('display-total')).toHaveText('€25.00');

  // The till closing mid-sale does not leave the cart up for the next person at the counter.
  await till.close();
  await expect(
    display.getByRole('heading', { name: 'Welcome to Entitle Demo Shop' }),
  ).toBeVisible();
  await expect(display.getByTestId('display-line')).toHaveCount(0);
});
