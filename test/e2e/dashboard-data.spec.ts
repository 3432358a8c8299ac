import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/schemas/protocol.ts';
import { extendChain } from '../../sync-server/audit/audit-chain.test-support.ts';
import { GIFT_25, saleMaker, type LineInput } from '../../sync-server/test-support/sales.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { signInToDashboard, useDashboardServer } from '../support/dashboard-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const shop = useDashboardServer('dashboard-data');

const VOUCHER: LineInput = {
  productId: 'prod-flu-vaccine',
  name: 'Flu vaccination voucher',
  kind: 'voucher',
  unitPrice: 3500,
  quantity: 2,
};
const ALEX = 'staff-demo-cashier';
const MORGAN = 'staff-demo-manager';

test('a manager finds a sale, extends a code, reads the reports, downloads a CSV and checks the audit', async ({
  page,
}) => {
  // A till that sold on three days, by Alex and Morgan; Morgan voided yesterday's sale. The audit
  // chain names only the first sale.
  const till = await enrolApiTerminal(shop.url, 'Front till');
  let soldAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const makeSale = saleMaker(till.credentials, () => soldAt);
  const second = await makeSale([VOUCHER, GIFT_25], { staffId: ALEX });
  soldAt = new Date(Date.now() - 86_400_000).toISOString();
  const third = await makeSale([{ ...GIFT_25, quantity: 2 }], { staffId: MORGAN });
  soldAt = new Date().toISOString();
  const first = await makeSale([GIFT_25], { buyerEmail: 'ana@example.test', staffId: ALEX });
  await till.push('sales', [first, second, third]);
  const voided: SaleVoid = {
    id: randomUUID(),
    storeId: third.storeId,
    terminalId: third.terminalId,
    saleId: third.id,
    receiptNumber: third.receiptNumber,
    reason: 'Rang up twice',
    staffId: MORGAN,
    approvedBy: MORGAN,
    createdAt: third.createdAt,
  };
  await till.push('voids', [voided]);
  const now = new Date().toISOString();
  const chain = await extendChain(till.credentials, [], 2, (n) =>
    n === 1
      ? {
          kind: 'sale',
          staffId: ALEX,
          subjectId: first.id,
          detail: { total: 2500 },
          createdAt: now,
        }
      : {
          kind: 'sign_out',
          staffId: ALEX,
          subjectId: null,
          detail: { outcome: 'manual' },
          createdAt: now,
        },
  );
  await pushAudit(till.credentials.token, chain);

  await signInToDashboard(page, shop.url);

  // Sales: search by receipt number, open the sale, then one of its codes.
  await page.getByRole('navigation').getByRole('link', { name: 'Sales' }).click();
  await page.getByLabel('Receipt number').fill(first.receiptNumber.toLowerCase());
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('row')).toHaveCount(2);
  await page.getByRole('link', { name: first.receiptNumber }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Sale ${first.receiptNumber}`);
  await expect(page.getByText('ana@example.test')).toBeVisible();
  const code = first.lines[0]?.codes[0] ?? '';
  await page.getByRole('link', { name: code.match(/.{1,4}/g)?.join('-') ?? code }).click();

  // The code: extend its expiry by a year past the current one, with a reason.
  await expect(page.getByText('Ready to redeem')).toBeVisible();
  await page.getByRole('link', { name: 'Extend expiry…' }).click();
  const later = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('New last day').fill(later);
  await page.getByLabel('Reason (kept in the audit log)').fill('Customer was abroad all year');
  await page.getByRole('button', { name: 'Extend the expiry' }).click();
  await expect(page.getByRole('status')).toHaveText('The expiry is extended.');
  await expect(page.getByRole('row', { name: /Expiry extended/ })).toContainText(
    'Customer was abroad all year',
  );
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'dashboard-entitlement.png'),
    fullPage: true,
  });

  // Reports: today's numbers with charts (an image with a title) over the tables.
  await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('img', { name: /Net sales by product/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Net sales by staff member/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Net sales by day/ })).toBeVisible();
  await expect(page.getByText('Voided', { exact: true }).first()).toBeVisible();
  // Morgan sold €50 and voided it: sales €50, refunded €0, voided €50, net €0.
  await expect(page.getByRole('row', { name: /Morgan/ })).toHaveText(
    /Morgan \(manager\)\s*1\s*€50\.00\s*€0\.00\s*€50\.00\s*€0\.00/,
  );
  await expect(page.getByRole('row', { name: /Flu vaccination voucher/ })).toContainText('€70.00');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-reports.png'), fullPage: true });

  // The CSV of these sales downloads, streamed, with every sale on its own line.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download these sales (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^sales-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^receipt_number,sale_id,/);
  expect(lines).toHaveLength(4);
  for (const sale of [first, second, third]) expect(csv).toContain(sale.receiptNumber);

  // Audit: the till's chain is intact; the sales it never audited are named.
  await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
  const row = page.getByRole('row', { name: /Front till/ });
  await expect(row).toContainText('Intact');
  await expect(row).toContainText('verified through event 2 of 2');
  await expect(row.getByRole('link', { name: second.receiptNumber })).toBeVisible();
  await expect(row.getByRole('link', { name: first.receiptNumber })).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-audit.png'), fullPage: true });
});

async function pushAudit(token: string, events: readonly AuditEvent[]): Promise<void> {
  const response = await fetch(`${shop.url}${API_PREFIX}/sync/audit/push`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    },
    body: JSON.stringify({
      rows: events.map((event) => ({
        newDocumentState: { _deleted: false, ...event },
        assumedMasterState: null,
      })),
    }),
  });
  expect(response.status).toBe(200);
}
