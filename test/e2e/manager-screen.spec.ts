import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openTill, useCounterServer } from '../support/counter-e2e.ts';
import { DEMO_MANAGER, signIn, signOut } from '../support/staff-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const shop = useCounterServer('manager-screen');

test('the manager screen: cashiers are refused; a manager sees sync health, retries, the X-report and an intact audit trail', async ({
  page: till,
}) => {
  await openTill(till, shop);
  // The shortcuts help (?) lists the manager screen's key.
  await till.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  const help = till.getByRole('dialog');
  await expect(help).toContainText('Manager screen: sync, X-report, audit');
  await expect(help).toContainText('F7');
  await till.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await till.keyboard.press('F7');
  await expect(till.getByRole('heading', { name: 'Manager' })).toBeVisible();
  await expect(till.getByRole('alert')).toHaveText(
    'This screen is for managers. Ask a manager to sign in.',
  );
  await expect(till.getByTestId('sync-health')).toHaveCount(0);

  await signOut(till);
  await signIn(till, DEMO_MANAGER);

  // Sales cannot reach the server for a while: they wait, and the screen says so.
  await till.route('**/sync/sales/push', (route) => route.abort());
  await till.getByRole('link', { name: 'Sell' }).click();
  for (let i = 0; i < 2; i++) {
    await till.getByRole('link', { name: 'Sell' }).click();
    await till.getByRole('button', { name: /^Add Gift card €25/ }).click();
    await till.getByRole('button', { name: /^Charge/ }).click();
    await till.getByRole('button', { name: /^Exact/ }).click();
    await expect(till.getByTestId('receipt-number')).not.toBeEmpty();
  }
  await till.getByRole('link', { name: /^Manager/ }).click();
  const health = till.getByTestId('sync-health');
  await expect(health.getByTestId('pending-documents')).toHaveText('2 documents', {
    timeout: 15_000,
  });
  await expect(health.getByTestId('last-error')).not.toHaveText('None');
  // A backlog is waiting: the bar shows how much of it has gone up (the sales have not).
  const bar = health.getByRole('progressbar', { name: 'Uploading the backlog' });
  await expect(bar).toBeVisible();
  expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(100);

  // The server is reachable again: Retry now uploads the backlog.
  await till.unroute('**/sync/sales/push');
  await health.getByRole('button', { name: 'Retry now' }).click();
  await expect(health.getByTestId('pending-documents')).toHaveText('Nothing', { timeout: 15_000 });
  await expect(bar).toBeHidden();
  await expect(health.getByTestId('last-error')).toHaveText('None');
  await expect(health.getByTestId('last-success')).not.toHaveText('Not yet');

  // Today's X-report: the €100 float and two €25 cash sales.
  await expect(
    till.getByTestId('shift-report').getByRole('row', { name: 'Expected in the drawer' }),
  ).toContainText('€150.00');

  // The local audit trail, latest first, and the chain verified.
  await expect(till.getByTestId('audit-chain')).toHaveText(/^Audit chain intact \(\d+ events\)$/);
  const rows = till.locator('.audit-table tbody tr');
  await expect(rows.first()).toContainText(DEMO_MANAGER.name);
  await expect(till.locator('.audit-table')).toContainText('shift open');
  await expect(till.locator('.audit-table')).toContainText('sale');
  await till.screenshot({ path: path.join(SCREENSHOTS, 'pos-manager.png'), fullPage: true });
});
