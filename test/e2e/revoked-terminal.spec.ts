import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { DATABASE_FILE } from '../../sync-server/db/connection.ts';
import { openTill, useCounterServer } from '../support/counter-e2e.ts';
import { DEMO_DASHBOARD_MANAGER, signInToDashboard } from '../support/dashboard-e2e.ts';

const shop = useCounterServer('revoked');

const LOCKED =
  "This terminal was revoked on the dashboard. It can no longer sell or sync. Sales that had not synced stay on this device and are not deleted: tell a manager, who sees how many are waiting on the dashboard's Terminals page.";

/** What "Revoke" on the dashboard writes: the terminal's revocation time. */
function revokeEveryTerminal(): void {
  const db = new Database(path.join(shop.dataDir, DATABASE_FILE));
  try {
    db.prepare('UPDATE terminals SET revoked_at = ? WHERE revoked_at IS NULL').run(
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
}

// First in this file: the only terminal enrolled so far is this one, the "Demo counter" row.
test('revoked on the dashboard, the till locks at once through its live stream', async ({
  page: till,
  browser,
}) => {
  await openTill(till, shop);
  await expect(till.getByRole('button', { name: /^Add Gift card €25/ })).toBeVisible();

  const office = await browser.newContext();
  const dashboard = await office.newPage();
  await signInToDashboard(dashboard, shop.server.url, DEMO_DASHBOARD_MANAGER);
  await dashboard.getByRole('navigation').getByRole('link', { name: 'Terminals' }).click();
  await dashboard
    .getByRole('row', { name: /Demo counter/ })
    .getByRole('link', { name: /Revoke/ })
    .click();
  await dashboard.getByRole('button', { name: 'Revoke Demo counter' }).click();
  await expect(dashboard.getByRole('status')).toContainText('The terminal is revoked.');
  await office.close();

  // Nobody touched the till: the server's stream told it.
  await expect(till.getByRole('heading', { name: 'This terminal is locked' })).toBeVisible();
  await expect(till.getByRole('alert')).toContainText(LOCKED);
  await expect(till.getByRole('button')).toHaveCount(0);
  await till.screenshot({ path: path.join('docs', 'screenshots', 'pos-revoked.png') });
});

test('a revoked terminal locks at its next request, says why, and stays locked', async ({
  page: till,
}) => {
  await openTill(till, shop);
  await expect(till.getByRole('button', { name: /^Add Gift card €25/ })).toBeVisible();

  revokeEveryTerminal();
  // Anything that syncs reaches the server: here the sign-out's audit event.
  await till.getByTestId('signed-in-staff').click();

  const lock = till.getByRole('alert');
  await expect(lock).toContainText(LOCKED);
  await expect(till.getByRole('heading', { name: 'This terminal is locked' })).toBeVisible();
  // Nothing else is usable: no sign-in, no selling, no links.
  await expect(till.getByRole('button')).toHaveCount(0);
  await expect(till.getByRole('link')).toHaveCount(0);

  // Restarted with no network, it remembers.
  await till
    .context()
    .route(`${shop.server.url}/api/**`, (route) => route.abort('connectionrefused'));
  await till.reload();
  await expect(till.getByRole('heading', { name: 'This terminal is locked' })).toBeVisible();
});
