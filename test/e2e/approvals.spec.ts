import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { DATABASE_FILE } from '../../sync-server/db/connection.ts';
import { openTill, pendingCount, useCounterServer } from '../support/counter-e2e.ts';
import {
  approveAsManager,
  DEMO_CASHIER,
  DEMO_MANAGER,
  signIn,
  signOut,
} from '../support/staff-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const shop = useCounterServer('approvals');

/** Reads the server's database (a separate process): what arrived from the till. */
function onServer<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(shop.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Sells one product for exact cash; returns the receipt number. */
async function sellForCash(till: Page, product: string): Promise<string> {
  await till.getByRole('link', { name: 'Sell' }).click();
  await till.getByRole('button', { name: new RegExp(`^Add ${product}`) }).click();
  await till.getByRole('button', { name: /^Charge/ }).click();
  await till.getByRole('button', { name: /^Exact/ }).click();
  await expect(till.getByTestId('receipt-number')).not.toBeEmpty();
  return (await till.getByTestId('receipt-number').textContent()) ?? '';
}

test('a cashier’s void waits for a manager’s PIN; a wrong PIN approves nothing', async ({
  page: till,
}) => {
  await openTill(till, shop);
  const receipt = await sellForCash(till, 'Gift card €25');
  await expect(till.getByTestId('served-by')).toHaveText(`Served by ${DEMO_CASHIER.name}`);

  await till.getByRole('link', { name: /^Sales/ }).click();
  const row = till.locator(`[data-testid="sale-row"][data-receipt="${receipt}"]`);
  await row.getByRole('button', { name: `Void… receipt ${receipt}` }).click();
  await till.getByLabel('Reason (required)').fill('Rang up the wrong card');
  await till.getByRole('button', { name: `Void receipt ${receipt}` }).click();

  const dialog = till.getByRole('dialog', { name: 'Manager approval' });
  await expect(dialog.getByTestId('approval-summary')).toHaveText(
    `Void receipt ${receipt} (€25.00)`,
  );
  // Only managers and admins are offered.
  await expect(dialog.getByRole('option')).toHaveText([DEMO_MANAGER.name, 'Sam (admin)']);
  await dialog.getByLabel('Manager PIN').fill('9999');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'That PIN is not right. 4 tries left before a 30-second lock.',
  );
  await expect(row.getByTestId('voided-badge')).toHaveCount(0);
  await dialog.getByLabel('Manager PIN').fill(DEMO_MANAGER.pin);
  await till.screenshot({ path: path.join(SCREENSHOTS, 'pos-approval.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('voided-badge')).toHaveText('Voided');

  // On the server: the sale names its cashier, the void its manager, and the audit trail both.
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  const [sale] = onServer<{ id: string; staff_id: string | null }>(
    'SELECT id, staff_id FROM sales WHERE receipt_number = ?',
    receipt,
  );
  expect(sale?.staff_id).toBe('staff-demo-cashier');
  const [voided] = onServer<{ body: string }>(
    'SELECT body FROM sale_voids WHERE receipt_number = ?',
    receipt,
  );
  expect(JSON.parse(voided?.body ?? '{}')).toMatchObject({
    staffId: 'staff-demo-cashier',
    approvedBy: 'staff-demo-manager',
  });
  await expect
    .poll(
      () =>
        onServer<{ kind: string; staff_id: string }>(
          "SELECT kind, staff_id FROM audit_events WHERE kind IN ('sale', 'approval', 'void') ORDER BY seq",
        ),
      { timeout: 30_000 },
    )
    .toEqual([
      { kind: 'sale', staff_id: 'staff-demo-cashier' },
      { kind: 'approval', staff_id: 'staff-demo-manager' },
      { kind: 'void', staff_id: 'staff-demo-cashier' },
    ]);
});

test('a manager signed in approves their own void with their PIN again', async ({ page: till }) => {
  await openTill(till, shop);
  await signOut(till);
  await signIn(till, DEMO_MANAGER);
  const receipt = await sellForCash(till, 'Gift card €25');
  await till.getByRole('link', { name: /^Sales/ }).click();
  const row = till.locator(`[data-testid="sale-row"][data-receipt="${receipt}"]`);
  await row.getByRole('button', { name: `Void… receipt ${receipt}` }).click();
  await till.getByLabel('Reason (required)').fill('Test sale');
  await till.getByRole('button', { name: `Void receipt ${receipt}` }).click();
  const dialog = till.getByRole('dialog', { name: 'Manager approval' });
  await expect(dialog.getByLabel('Manager', { exact: true })).toHaveValue('staff-demo-manager');
  await dialog.getByLabel('Manager PIN').fill(DEMO_MANAGER.pin);
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await expect(row.getByTestId('voided-badge')).toHaveText('Voided');
});

test('a discount above the store’s 10 % limit asks for a manager; cancelled, the cart is unchanged', async ({
  page: till,
}) => {
  await openTill(till, shop);
  await till.getByRole('button', { name: /^Add Diagnostic test voucher/ }).click();
  const cart = till.getByRole('complementary', { name: 'Cart' });
  await cart.getByRole('button', { name: 'Discount… Diagnostic test voucher' }).click();
  await cart.getByLabel('Percentage off').fill('50');
  await cart.getByRole('button', { name: 'Apply discount' }).click();

  const dialog = till.getByRole('dialog', { name: 'Manager approval' });
  await expect(dialog.getByTestId('approval-summary')).toHaveText(
    'Discount 50% off on Diagnostic test voucher (€44.50), above the 10% limit',
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(cart.getByTestId('line-discount')).toHaveCount(0);

  await cart.getByRole('button', { name: 'Apply discount' }).click();
  await approveAsManager(till);
  await expect(cart.getByTestId('line-discount')).toContainText('50% off');

  // Up to the limit needs nobody.
  await cart.getByRole('button', { name: 'Discount on the whole cart…' }).click();
  await cart.getByLabel('Percentage off').fill('10');
  await cart.getByRole('button', { name: 'Apply discount' }).click();
  await expect(till.getByRole('dialog', { name: 'Manager approval' })).toHaveCount(0);
  await expect(cart.getByTestId('cart-discount-label')).toHaveText('Cart: 10% off');

  // The sale names the manager who approved its discount, and so does its audit event.
  await till.getByRole('button', { name: /^Charge/ }).click();
  await till.getByRole('button', { name: /^Exact/ }).click();
  const receipt = (await till.getByTestId('receipt-number').textContent()) ?? '';
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  const [sale] = onServer<{ body: string }>(
    'SELECT body FROM sales WHERE receipt_number = ?',
    receipt,
  );
  expect(JSON.parse(sale?.body ?? '{}')).toMatchObject({
    discountApprovedBy: 'staff-demo-manager',
    staffId: 'staff-demo-cashier',
  });
  await expect
    .poll(
      () =>
        onServer<{ body: string }>("SELECT body FROM audit_events WHERE kind = 'discount'").map(
          (row) => (JSON.parse(row.body) as { detail: unknown }).detail,
        ),
      { timeout: 30_000 },
    )
    .toContainEqual({ amount: 4895, approvedBy: 'staff-demo-manager' });
});

test('opening the drawer without a sale needs a reason and a manager', async ({ page: till }) => {
  await openTill(till, shop);
  await till.getByRole('button', { name: 'Open drawer' }).click();
  const form = till.getByRole('dialog', { name: 'Open the drawer without a sale' });
  await form.getByRole('button', { name: 'Ask a manager' }).click();
  await expect(form.getByRole('alert')).toContainText('Say why the drawer is opened');
  await form.getByLabel('Reason (required)').fill('Change for the float');
  await form.getByRole('button', { name: 'Ask a manager' }).click();

  const dialog = till.getByRole('dialog', { name: 'Manager approval' });
  await expect(dialog.getByTestId('approval-summary')).toHaveText(
    'Open the drawer without a sale: Change for the float',
  );
  await approveAsManager(till);
  // No thermal printer is set up here, so the drawer opens by its key; the opening is recorded.
  await expect(till.getByRole('dialog', { name: 'Drawer' })).toContainText(
    'open the drawer with its key. The opening is recorded.',
  );
});
