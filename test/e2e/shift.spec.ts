import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openTill, useCounterServer } from '../support/counter-e2e.ts';
import { CUT, PULSE, useFakePrinter } from '../support/fake-printer.ts';
import { DEMO_CASHIER, DEMO_MANAGER, signIn, signOut } from '../support/staff-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');

const printer = useFakePrinter();
// The print relay prints only to allowed ports; the listener's port is a random free one.
const shop = useCounterServer('shift', { env: () => ({ PRINTER_PORTS: String(printer.port) }) });

function reportRow(till: Page, label: string) {
  return till
    .getByTestId('shift-report')
    .getByRole('row')
    .filter({ has: till.getByRole('rowheader', { name: label, exact: true }) });
}

test('a shift: float, a cash sale, a cash out, the X-report, a close €1.50 short and its Z-report', async ({
  page: till,
}) => {
  // Signing in on a terminal without an open shift asks for the float (openTill gives 100.00).
  await openTill(till, shop);
  await expect(till.getByTestId('shift-gate')).toBeHidden();

  // Reports print on the receipt printer chosen in Settings, like receipts.
  await till.getByRole('link', { name: 'Settings' }).click();
  await till.getByRole('radio', { name: /A network receipt printer/ }).check();
  await till.getByRole('textbox', { name: 'Printer address' }).fill('127.0.0.1');
  await till.getByRole('textbox', { name: 'Port' }).fill(String(printer.port));
  await till.getByRole('button', { name: 'Save' }).click();
  await till.getByRole('link', { name: 'Sell' }).click();

  // A reload keeps the shift (and, within the tab, the sign-in): straight back to selling.
  await till.reload();
  await expect(till.getByRole('button', { name: /^Add Gift card €25/ })).toBeVisible();
  await expect(till.getByTestId('shift-gate')).toBeHidden();

  // €25 in cash: €50 handed over, €25 change.
  await till.getByRole('button', { name: /^Add Gift card €25/ }).click();
  await till.getByRole('button', { name: /^Charge/ }).click();
  await till.getByLabel('Cash received').fill('50');
  await till.getByRole('button', { name: 'Complete sale' }).click();
  await expect(till.getByTestId('receipt-number')).not.toBeEmpty();
  const receipt = (await till.getByTestId('receipt-number').textContent()) ?? '';

  // €10 out for the window cleaner: amount and reason are both required.
  await till.getByRole('link', { name: 'Shift', exact: true }).click();
  await till.getByRole('link', { name: 'Cash out…' }).click();
  await expect(till.getByRole('heading', { name: 'Cash out' })).toBeVisible();
  await till.getByLabel('Amount').fill('10.00');
  await till.getByRole('button', { name: 'Record cash out' }).click();
  await expect(till.getByRole('alert')).toHaveText('Say why the cash goes in or out.');
  await till.getByLabel('Reason').fill('Window cleaner');
  await till.getByRole('button', { name: 'Record cash out' }).click();
  await expect(till.getByRole('status')).toHaveText('Cash out of €10.00 recorded.');

  // X-report: €100 float + €25 cash − €10 out = €115 expected.
  await till.getByRole('link', { name: 'Shift', exact: true }).click();
  await expect(reportRow(till, 'Expected in the drawer')).toContainText('€115.00');
  await expect(reportRow(till, 'Float')).toContainText('€100.00');
  await expect(reportRow(till, 'Cash out: Window cleaner')).toContainText('−€10.00');
  await expect(reportRow(till, 'First receipt')).toContainText(receipt);
  await expect(reportRow(till, 'Counted')).toHaveCount(0);
  await expect(reportRow(till, 'Voids (0)').getByRole('cell')).toHaveText('€0.00');

  // Closing is a manager's: the cashier is told to fetch one.
  await till.getByRole('link', { name: 'Close shift…' }).click();
  await expect(till.getByRole('alert')).toHaveText(
    'Closing the shift is for managers. Ask a manager to sign in and count the drawer.',
  );
  await expect(till.getByRole('button', { name: 'Close shift' })).toHaveCount(0);
  await signOut(till);
  await signIn(till, DEMO_MANAGER);
  await till.getByRole('link', { name: 'Shift', exact: true }).click();

  // The close: counted €113.50, €1.50 short.
  await till.getByRole('link', { name: 'Close shift…' }).click();
  await expect(till.getByTestId('expected-cash')).toHaveText('€115.00');
  await till.getByLabel('€50 notes').fill('2');
  await till.getByLabel('€10 notes').fill('1');
  await till.getByLabel('€2 coins').fill('1');
  await till.getByLabel('€1 coins').fill('1');
  await till.getByLabel('€0.50 coins').fill('1');
  await expect(till.getByTestId('counted-cash')).toHaveText('€113.50');
  await expect(till.getByTestId('variance')).toHaveText('−€1.50 short');
  await expect(till.getByTestId('variance')).toHaveClass(/variance-short/);
  await till.screenshot({ path: path.join(SCREENSHOTS, 'pos-shift-close.png'), fullPage: true });
  await till.getByRole('button', { name: 'Close shift' }).click();

  // The Z-report lists the count and the variance.
  await expect(till.getByRole('heading', { name: 'Shift closed' })).toBeVisible();
  await expect(till.getByTestId('z-variance')).toHaveText('Variance −€1.50 (short)');
  await expect(reportRow(till, 'Counted')).toContainText('€113.50');
  await expect(reportRow(till, 'Variance')).toContainText('−€1.50');
  await expect(reportRow(till, '2 × €50 notes')).toContainText('€100.00');
  await expect(reportRow(till, 'Closed by')).toContainText(DEMO_MANAGER.name);
  await expect(reportRow(till, 'Opened by')).toContainText(DEMO_CASHIER.name);
  const jobsBefore = printer.jobs.length;
  await till.getByRole('button', { name: 'Print Z-report' }).click();
  await expect(till.getByRole('status')).toHaveText('Z-report printed.');
  await expect.poll(() => printer.jobs.length).toBe(jobsBefore + 1);
  const z = printer.jobs.at(-1) ?? Buffer.alloc(0);
  expect(z.toString('latin1')).toContain('Z-report');
  expect(z.toString('latin1')).toContain('Variance -');
  expect(z.toString('latin1')).toContain('Window cleaner');
  expect(z.includes(CUT)).toBe(true);
  expect(z.includes(PULSE)).toBe(false);
  await till.screenshot({ path: path.join(SCREENSHOTS, 'pos-z-report.png'), fullPage: true });

  // Done hands the counter over: the next person signs in and opens a new shift.
  await till.getByRole('button', { name: 'Done' }).click();
  await expect(till.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await till.getByRole('button', { name: DEMO_CASHIER.name, exact: true }).click();
  await till.getByLabel('PIN', { exact: true }).fill(DEMO_CASHIER.pin);
  await till.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(till.getByTestId('shift-gate')).toBeVisible();
  await expect(till.getByRole('heading', { name: 'Open the shift' })).toBeVisible();
  await till.getByLabel('Float in the drawer').fill('abc');
  await expect(till.getByRole('alert')).toHaveText('Type an amount like 100 or 100.00.');
  await till.getByRole('button', { name: '€150.00' }).click();
  await expect(till.getByLabel('Float in the drawer')).toHaveValue('150');
  await till.getByRole('button', { name: 'Open shift' }).click();
  await expect(till.getByTestId('shift-gate')).toBeHidden();
  await till.getByRole('link', { name: 'Shift', exact: true }).click();
  await expect(reportRow(till, 'Expected in the drawer')).toContainText('€150.00');
  await expect(reportRow(till, 'Sales')).toContainText('0');
});
