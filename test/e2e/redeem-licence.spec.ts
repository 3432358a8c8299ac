import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { verifyLicenceFile } from '../../shared/templates/verify-licence.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { PHONE, claimByEmail, usePortalServer } from '../support/portal-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';

const CUSTOMER = 'it.manager@example.test';
const SEATS = Array.from({ length: 25 }, (_, i) => `designer${String(i + 1)}@example.test`);

const portal = usePortalServer('licence');

test('a 25-seat licence is claimed, its seats assigned in one textarea, and its file verifies offline', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(portal.url);
  const sale = await till.makeSale([
    {
      productId: 'prod-team-licence',
      name: 'Design Suite team licence — 25 seats',
      kind: 'licence',
      unitPrice: 249900,
      quantity: 1,
    },
  ]);
  await till.push('sales', [sale]);
  const code = sale.lines[0]?.codes[0] ?? '';

  const phone = await browser.newContext({ ...PHONE, acceptDownloads: true });
  const customer = await phone.newPage();
  await customer.goto(`${portal.url}/redeem/${formatCode(code)}`);
  await expect(customer.getByText('Licence with 25 seats.')).toBeVisible();
  await claimByEmail(customer, portal, { code, email: CUSTOMER });

  await customer.goto(`${portal.url}/account/codes/${code}`);
  // Bulk: 25 people in one form, not 25 forms.
  await customer.getByLabel('Seat holders').fill(SEATS.join('\n'));
  await customer.screenshot({ path: 'docs/screenshots/licence-seats.png', fullPage: true });
  await customer.getByRole('button', { name: 'Assign seats' }).click();
  await expect(
    customer.getByRole('heading', { name: 'Registered — what happens next' }),
  ).toBeVisible();
  const confirmation = await waitForEmail(portal.dataDir, 'onboarding-confirmation');
  expect(confirmation.subject).toBe('Registered: your Design Suite team licence — 25 seats');
  const seatMail = await waitForEmail(portal.dataDir, 'seat-assigned');
  expect(seatMail.subject).toBe('You have a seat of Design Suite team licence — 25 seats');

  await customer.getByRole('link', { name: 'See the code' }).click();
  await expect(customer.locator('dd[data-state]')).toHaveText('Active');
  await expect(customer.locator('dd[data-seats]')).toHaveText('25 of 25 assigned');
  const downloading = customer.waitForEvent('download');
  await customer.getByRole('link', { name: 'Download the licence file' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`licence-${code}.json`);
  const file = JSON.parse(await readFile(await download.path(), 'utf8')) as unknown;

  const key = (await (await fetch(`${portal.url}/licence-key`)).json()) as { publicKey: string };
  const verdict = await verifyLicenceFile(file, key.publicKey);
  expect(verdict.valid).toBe(true);
  if (verdict.valid) expect(verdict.file.seats.map((seat) => seat.email)).toEqual(SEATS);
  const tampered = { ...(file as Record<string, unknown>), licensee: 'someone.else@example.test' };
  expect((await verifyLicenceFile(tampered, key.publicKey)).valid).toBe(false);
  await phone.close();
});
