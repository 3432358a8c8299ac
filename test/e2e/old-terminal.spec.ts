import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { DATABASE_FILE } from '../../sync-server/db/connection.ts';
import { MIN_SUPPORTED_PROTOCOL_VERSION, PROTOCOL_HEADER } from '../../shared/schemas/protocol.ts';
import { openTill, pendingCount, useCounterServer } from '../support/counter-e2e.ts';

/**
 * A till whose build is older than the server supports (issue #6). The old build is this build
 * with its protocol header rewritten to one version below the minimum, so the real server
 * answers its real 426. The cashier is told to update, sells on, and after the update every
 * sale made meanwhile reaches the server in exactly one accepted push.
 */
const shop = useCounterServer('old-terminal');

const OLD_VERSION = String(MIN_SUPPORTED_PROTOCOL_VERSION - 1);

async function runAsOldBuild(till: Page): Promise<void> {
  await till.context().route(`${shop.server.url}/api/**`, (route) =>
    route.continue({
      headers: { ...route.request().headers(), [PROTOCOL_HEADER]: OLD_VERSION },
    }),
  );
}

async function sellCash(till: Page): Promise<string> {
  await till.getByRole('link', { name: 'Sell', exact: true }).click();
  await till.getByRole('button', { name: /^Add Gift card €25/ }).click();
  await till.getByRole('button', { name: /^Charge/ }).click();
  await till.getByLabel('Cash received').fill('25');
  await till.getByRole('button', { name: 'Complete sale' }).click();
  await expect(till.getByTestId('code-card')).toHaveCount(1);
  return (await till.getByTestId('receipt-number').textContent()) ?? '';
}

function serverReceipts(): string[] {
  const db = new Database(path.join(shop.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT receipt_number FROM sales').all() as { receipt_number: string }[])
      .map((row) => row.receipt_number)
      .sort();
  } finally {
    db.close();
  }
}

test('a till too old for the server says to update, sells on, and loses no sale', async ({
  page: till,
}) => {
  await openTill(till, shop);
  const before = await sellCash(till);
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);

  // The server moved on; this till did not. On its next start every sync request gets 426.
  await runAsOldBuild(till);
  await till.reload();
  const banner = till.getByRole('alert').filter({ hasText: 'Sync stopped' });
  await expect(banner).toContainText('This POS is too old for the server. Update the app');
  await expect(banner).toContainText('Sales made now are kept on this terminal.');

  // Selling needs no server: two sales, kept on the till and shown as waiting.
  const offline = [await sellCash(till), await sellCash(till)];
  await expect.poll(() => pendingCount(till)).toBe(2);
  await till.getByRole('link', { name: /^Sales/ }).click();
  for (const receipt of offline) {
    await expect(till.getByTestId('sale-row').filter({ hasText: receipt })).toContainText(
      'Waiting to sync',
    );
  }
  expect(serverReceipts()).toEqual([before]);

  // Updated: the protocol matches again. Each waiting sale goes up in exactly one push.
  await till.context().unrouteAll({ behavior: 'wait' });
  const pushedIds: string[] = [];
  till.on('response', (response) => {
    const request = response.request();
    if (request.method() !== 'POST' || !request.url().endsWith('/sync/sales/push')) return;
    if (response.status() !== 200) return;
    const body = request.postDataJSON() as { rows: { newDocumentState: { id: string } }[] };
    pushedIds.push(...body.rows.map((row) => row.newDocumentState.id));
  });
  await till.reload();
  await expect(till.getByTestId('online-status')).toHaveText('Online');
  await expect(banner).toHaveCount(0);
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  expect(serverReceipts()).toEqual([before, ...offline].sort());
  expect(pushedIds).toHaveLength(2);
  expect(new Set(pushedIds).size).toBe(2);
});
