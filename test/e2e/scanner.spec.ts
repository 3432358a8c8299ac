import { expect, test } from '@playwright/test';
import { useCounterServer } from '../support/counter-e2e.ts';
import { scan } from '../support/scanner-e2e.ts';
import { signIn } from '../support/staff-e2e.ts';

// From the demo catalogue (sync-server/catalogue/demo-catalogue.ts).
const WINTER_GALA = '2000000045009';
const NOBODY_HAS_IT = '2000000000000';

const shop = useCounterServer('scanner');

test('a scanner adds the item, a person typing the same digits only searches, an unknown code says what to do', async ({
  page,
}) => {
  await page.goto(shop.pos.url);
  await signIn(page);
  await expect(
    page.getByRole('button', { name: /Add Concert ticket — Winter Gala/ }),
  ).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search products' });
  await expect(search).toBeFocused();

  // A person types the barcode slowly into the search and presses Enter: it searches, adds nothing.
  await search.pressSequentially(WINTER_GALA, { delay: 120 });
  await page.keyboard.press('Enter');
  await expect(search).toHaveValue(WINTER_GALA);
  await expect(page.getByText('No product matches that search.')).toBeVisible();
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
  await search.fill('');

  // A scanner "types" the same digits 5 ms apart and ends with Enter (real key presses, stamped
  // with the scanner's timing: test/support/scanner-e2e.ts), while the search box has the focus:
  // the item is added and none of the digits are left in the search.
  await scan(page, WINTER_GALA);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expect(page.getByTestId('cart-quantity')).toHaveText('1');
  await expect(page.getByTestId('scan-notice')).toHaveText('Added Concert ticket — Winter Gala.');
  await expect(search).toHaveValue('');

  // The same item scanned again is a second unit, with the focus anywhere on the screen.
  await page.getByRole('heading', { name: /Cart/ }).click();
  await scan(page, WINTER_GALA);
  await expect(page.getByTestId('cart-quantity')).toHaveText('2');
  await expect(page.getByTestId('cart-line')).toHaveCount(1);

  // A code no product has: nothing is added, and the message says what to do next.
  await search.focus();
  await scan(page, NOBODY_HAS_IT);
  await expect(page.getByRole('alert')).toHaveText(
    `No product has barcode ${NOBODY_HAS_IT}. Check the item, or search by name.`,
  );
  await expect(search).toHaveValue('');
  await expect(page.getByTestId('cart-quantity')).toHaveText('2');
  // A scan is never a shortcut: its Enter did not take the cashier to the tender screen.
  await expect(page).toHaveURL(/#\/sell$|\/$|#$/);

  // On the tender screen a scan must not type a 13-digit amount into "Cash received" and
  // complete the sale with its Enter: it is caught, taken back out, and explained.
  await page.getByRole('button', { name: /^Charge/ }).click();
  const cash = page.getByLabel('Cash received');
  await expect(cash).toBeFocused();
  await scan(page, WINTER_GALA);
  await expect(page.getByTestId('scan-notice')).toHaveText(
    `Scanned ${WINTER_GALA}, but items are added on the Sell screen. Go back to Sell (Esc) and scan it again.`,
  );
  await expect(cash).toHaveValue('');
  await expect(page).toHaveURL(/#\/tender$/);
  await expect(page.getByTestId('code-card')).toHaveCount(0);
});
