import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { useCounterServer } from '../support/counter-e2e.ts';
import { signIn } from '../support/staff-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const MIN_TAP = 44;

const shop = useCounterServer('shortcuts');

/** Every visible button and link on the page smaller than a fingertip, by its name. */
async function tooSmallToTap(page: Page): Promise<string[]> {
  const small: string[] = [];
  for (const target of await page.locator('button, a[href], [role="button"]').all()) {
    if (!(await target.isVisible())) continue;
    const box = await target.boundingBox();
    if (box && (box.width < MIN_TAP || box.height < MIN_TAP)) {
      const name = (await target.getAttribute('aria-label')) ?? (await target.innerText());
      small.push(`${name.trim()} (${String(box.width)}×${String(box.height)})`);
    }
  }
  return small;
}

test('a whole sale with the keyboard only: search, add, pay, next sale; the help overlay lists the keys', async ({
  page,
}) => {
  await page.goto(shop.pos.url);
  await signIn(page);
  const search = page.getByRole('searchbox', { name: 'Search products' });
  await expect(
    page.getByRole('button', { name: /Add Concert ticket — Winter Gala/ }),
  ).toBeVisible();
  await expect(search).toBeFocused();

  // Keys that type never act while the cashier is typing: "?" goes into the search box.
  await page.keyboard.type('?');
  await expect(search).toHaveValue('?');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');

  // Search at a person's pace (a burst this short and fast would be a scanner), Enter adds the
  // only match.
  await page.keyboard.type('gala', { delay: 100 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expect(page.getByTestId('cart-total')).toHaveText('€45.00');

  // F4 pays from inside the search box (function keys type nothing); F5 presses "Exact …".
  await page.keyboard.press('F4');
  await expect(page).toHaveURL(/#\/tender$/);
  // The cashier sees the tender screen (its cart loads from IndexedDB) before pressing F5.
  await expect(page.getByRole('button', { name: /^Exact/ })).toBeVisible();
  await page.keyboard.press('F5');
  await expect(page.getByTestId('code-card')).toHaveCount(1);
  await expect(page).toHaveURL(/#\/receipt\/.+\/new$/);

  // Escape on a fresh receipt starts the next sale.
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/#\/sell$/);
  await expect(page.getByTestId('cart-line')).toHaveCount(0);

  // F8 opens the sales list (the sale is there); Escape comes back to selling.
  await page.keyboard.press('F8');
  await expect(page).toHaveURL(/#\/sales$/);
  await expect(page.getByTestId('sale-row')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/#\/sell$/);

  // "/" and F2 find the search from anywhere on the screen.
  await page.getByRole('heading', { name: /Cart/ }).click();
  await expect(search).not.toBeFocused();
  await page.keyboard.press('F2');
  await expect(search).toBeFocused();

  // Out of the field, "?" shows every shortcut; Escape closes it again.
  await page.keyboard.press('Tab');
  await expect(search).not.toBeFocused();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const action of ['Search products', 'Pay (go to the tender screen)', 'Sales list']) {
    await expect(help.getByRole('cell', { name: action, exact: true })).toBeVisible();
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, 'shortcuts.png') });
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(page).toHaveURL(/#\/sell$/);
});

test('every button and link on the Sell screen is at least 44×44 px, on a counter screen and a tablet', async ({
  page,
}) => {
  await page.goto(shop.pos.url);
  await signIn(page);
  await expect(page.getByRole('button', { name: /Add Gift card €25/ })).toBeVisible();
  // A line in the cart brings out the steppers, remove and gift buttons too.
  await page.getByRole('button', { name: /Add Gift card €25/ }).click();
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  expect(await page.getByRole('button').count()).toBeGreaterThan(10);
  expect(await tooSmallToTap(page)).toEqual([]);

  await page.setViewportSize({ width: 1024, height: 768 });
  expect(await tooSmallToTap(page)).toEqual([]);
});
