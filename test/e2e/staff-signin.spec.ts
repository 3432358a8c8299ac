import path from 'node:path';
import { expect, test } from '@playwright/test';
import { useCounterServer } from '../support/counter-e2e.ts';
import { DEMO_CASHIER, DEMO_MANAGER, signIn, signOut } from '../support/staff-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const shop = useCounterServer('staff-signin');

test('a wrong PIN is refused with the tries left, the right one signs in; sign-out locks again', async ({
  page: till,
}) => {
  await till.goto(shop.pos.url);
  await expect(till.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // Nothing to sell before someone signs in.
  await expect(till.getByRole('button', { name: /^Charge/ })).toHaveCount(0);
  await till.getByRole('button', { name: DEMO_CASHIER.name }).click();
  await till.getByLabel('PIN', { exact: true }).fill('1111');
  await till.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(till.getByRole('alert')).toHaveText(
    'That PIN is not right. 4 tries left before a 30-second lock.',
  );
  await till.screenshot({ path: path.join(SCREENSHOTS, 'pos-signin.png'), fullPage: true });

  // The pad types too: 2 5 8 0, then Enter.
  for (const digit of DEMO_CASHIER.pin) {
    await till.getByRole('button', { name: `Digit ${digit}` }).click();
  }
  await till.getByLabel('PIN', { exact: true }).press('Enter');
  await expect(till.getByTestId('signed-in-staff')).toContainText(DEMO_CASHIER.name);

  await signOut(till);
  // Preselected: the person who was signed in.
  await expect(till.getByRole('button', { name: DEMO_CASHIER.name })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('five wrong PINs lock the sign-in, even across a reload; a manager can unlock it', async ({
  page: till,
}) => {
  await till.goto(shop.pos.url);
  await till.getByRole('button', { name: DEMO_CASHIER.name }).click();
  const pin = till.getByLabel('PIN', { exact: true });
  for (let left = 4; left >= 1; left--) {
    await pin.fill('9999');
    await pin.press('Enter');
    await expect(till.getByRole('alert')).toContainText(
      `${String(left)} ${left === 1 ? 'try' : 'tries'} left`,
    );
  }
  await pin.fill('9999');
  await pin.press('Enter');
  await expect(till.getByTestId('pin-locked')).toHaveText(
    /^Too many wrong PINs\. Try again in 0:(30|29), or ask a manager\.$/,
  );

  await till.reload();
  await till.getByRole('button', { name: DEMO_CASHIER.name }).click();
  await expect(till.getByTestId('pin-locked')).toContainText('Too many wrong PINs');
  await expect(till.getByLabel('PIN', { exact: true })).toBeDisabled();

  await till.getByRole('button', { name: 'Manager unlock' }).click();
  const dialog = till.getByRole('dialog', { name: 'Manager approval' });
  await expect(dialog).toContainText(`Unlock the sign-in of ${DEMO_CASHIER.name}`);
  await dialog.getByLabel('Manager', { exact: true }).selectOption({ label: DEMO_MANAGER.name });
  await dialog.getByLabel('Manager PIN').fill(DEMO_MANAGER.pin);
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
  await expect(till.getByTestId('pin-locked')).toBeHidden();

  await signIn(till, DEMO_CASHIER);
  await expect(till.getByTestId('signed-in-staff')).toContainText(DEMO_CASHIER.name);
});

test('the till locks itself after two minutes without use; the cart is still there', async ({
  page: till,
}) => {
  await till.clock.install();
  await till.goto(shop.pos.url);
  await signIn(till, DEMO_CASHIER);
  await till.getByRole('button', { name: /^Add Diagnostic test voucher/ }).click();
  await expect(till.getByTestId('cart-line')).toHaveCount(1);

  await till.clock.fastForward('01:50');
  await expect(till.getByRole('heading', { name: 'Sign in' })).toHaveCount(0);
  await till.clock.fastForward('00:15');
  await expect(till.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(till.getByTestId('idle-lock-notice')).toHaveText(
    'Locked after 2 minutes without use',
  );
  await expect(till.getByRole('button', { name: DEMO_CASHIER.name })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  await signIn(till, DEMO_CASHIER);
  await expect(till.getByTestId('cart-line')).toHaveCount(1);
});
