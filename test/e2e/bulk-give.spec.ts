import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { PHONE, followMagicLink, usePortalServer } from '../support/portal-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const BUYER = 'office@example.test';
const STAFF = Array.from(
  { length: 25 },
  (_, i) => `staff${String(i + 1).padStart(2, '0')}@example.test`,
);

const portal = usePortalServer('bulk');

const mailFiles = async (kind: string): Promise<string[]> =>
  (await readdir(path.join(portal.dataDir, 'mail')).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.eml') && name.includes(kind))
    .sort();

test('25 vouchers are given from one textarea: 25 e-mails, one code each', async ({ browser }) => {
  const till = await enrolApiTerminal(portal.url, 'Office till');
  const sale = await till.makeSale(
    [
      {
        productId: 'prod-flu-vaccine',
        name: 'Flu vaccination voucher',
        kind: 'voucher',
        unitPrice: 3500,
        quantity: 25,
      },
    ],
    { buyerEmail: BUYER },
  );
  const codes = [...(sale.lines[0]?.codes ?? [])].sort();
  await till.push('sales', [sale]);
  await waitForEmail(portal.dataDir, 'sale-codes-email');

  const phone = await browser.newContext(PHONE);
  const buyer = await phone.newPage();
  await buyer.goto(`${portal.url}/signin`);
  await buyer.getByLabel('E-mail address').fill(BUYER);
  await buyer.getByRole('button', { name: 'Send me a link' }).click();
  await followMagicLink(buyer, portal);
  await expect(buyer.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(
    buyer.getByText('25 × Flu vaccination voucher from Entitle Demo Shop'),
  ).toBeVisible();

  // A repeated address is refused with the line named, and nothing is given.
  const textarea = buyer.getByLabel('Give these codes, one e-mail per line');
  await textarea.fill([...STAFF.slice(0, 3), STAFF[0]].join('\n'));
  await buyer.getByRole('button', { name: 'Give codes' }).click();
  await expect(buyer.getByRole('alert')).toContainText(`Line 4 repeats ${STAFF[0]} from line 1.`);

  await buyer.getByLabel('Give these codes, one e-mail per line').fill(STAFF.join('\n'));
  await buyer.screenshot({ path: path.join(SCREENSHOTS, 'bulk-give.png') });
  await buyer.getByRole('button', { name: 'Give codes' }).click();
  await expect(buyer).toHaveURL(/\/account$/);
  await expect(buyer.getByText(`Given to ${STAFF[24]} — sent`)).toBeVisible();
  await expect(buyer.locator('textarea')).toHaveCount(0);

  await expect.poll(async () => (await mailFiles('assignment-email')).length).toBe(25);
  // In code order: the first address got the first code, the last the last.
  for (const index of [0, 24]) {
    const file = (await mailFiles('assignment-email')).find((name) => name.includes(codes[index]!));
    const mail = await waitForEmail(portal.dataDir, file!.replace(/\.eml$/, ''));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(STAFF[index]);
    expect(mail.text).toContain(formatCode(codes[index]!));
  }
  await phone.close();
});
