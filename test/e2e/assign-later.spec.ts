import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { PHONE, followMagicLink, usePortalServer } from '../support/portal-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const BUYER = 'manager@example.test';
const RECIPIENTS = ['nurse.one@example.test', 'nurse.two@example.test'];

const portal = usePortalServer('assign');

const mailFiles = async (kind: string): Promise<string[]> =>
  (await readdir(path.join(portal.dataDir, 'mail')).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.eml') && name.includes(kind))
    .sort();

test('a buyer gives two of three codes to different people from the account page', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(portal.url, 'Clinic till');
  const sale = await till.makeSale(
    [
      {
        productId: 'prod-flu-vaccine',
        name: 'Flu vaccination voucher',
        kind: 'voucher',
        unitPrice: 3500,
        quantity: 3,
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

  for (const [index, email] of RECIPIENTS.entries()) {
    const card = buyer.locator(`li[data-code="${codes[index]}"]`);
    await card.getByLabel('Give to (e-mail)').fill(email);
    await card.getByRole('button', { name: 'Give' }).click();
    await expect(buyer).toHaveURL(/\/account$/);
  }

  // Each recipient gets an e-mail with their own code and its link.
  await expect.poll(async () => (await mailFiles('assignment-email')).length).toBe(2);
  for (const [index, email] of RECIPIENTS.entries()) {
    const file = (await mailFiles('assignment-email')).find((name) => name.includes(codes[index]!));
    expect(file).toBeDefined();
    const mail = await waitForEmail(portal.dataDir, file!.replace(/\.eml$/, ''));
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(email);
    expect(mail.text).toContain(formatCode(codes[index]!));
    expect(mail.text).toContain(`${portal.url}/redeem/${codes[index]}`);
  }

  await buyer.reload();
  for (const email of RECIPIENTS)
    await expect(buyer.getByText(`Given to ${email} — sent`)).toBeVisible();
  // The third code is still the buyer's to give.
  await expect(
    buyer.locator(`li[data-code="${codes[2]}"]`).getByLabel('Give to (e-mail)'),
  ).toBeVisible();
  await buyer.screenshot({ path: path.join(SCREENSHOTS, 'assign-later.png'), fullPage: true });
  await phone.close();
});
