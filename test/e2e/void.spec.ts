import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { PHONE, followMagicLink, usePortalServer } from '../support/portal-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const HOLDER = 'holder@example.test';
const REASON = 'Paid with a counterfeit note';

const portal = usePortalServer('void');

test('the holder of a claimed code is told when its sale is voided; the account shows Voided', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(portal.url, 'Void till');
  const sale = await till.makeSale([
    {
      productId: 'prod-gift-25',
      name: 'Gift card €25',
      kind: 'gift_card',
      unitPrice: 2500,
      quantity: 1,
    },
  ]);
  const code = sale.lines[0]?.codes[0] ?? '';
  await till.push('sales', [sale]);

  // The customer claims the code from a phone without JavaScript.
  const phone = await browser.newContext(PHONE);
  const customer = await phone.newPage();
  await customer.goto(`${portal.url}/redeem/${code}`);
  await customer.getByLabel('E-mail address').fill(HOLDER);
  await customer.getByRole('button', { name: 'Send me a link' }).click();
  await followMagicLink(customer, portal);
  await customer.goto(`${portal.url}/account`);
  const card = customer.locator(`li[data-code="${code}"]`);
  await expect(card).toContainText('Claimed by you on');

  // The shop voids the sale at the counter; the void syncs.
  await till.push('voids', [
    {
      id: randomUUID(),
      storeId: sale.storeId,
      terminalId: sale.terminalId,
      saleId: sale.id,
      receiptNumber: sale.receiptNumber,
      reason: REASON,
      staffId: null,
      approvedBy: null,
      createdAt: new Date().toISOString(),
    },
  ]);

  const notice = await waitForEmail(portal.dataDir, 'void-notice');
  expect(notice.to && 'text' in notice.to ? notice.to.text : '').toContain(HOLDER);
  expect(notice.subject).toBe(`Your code ${formatCode(code)} was voided`);
  expect(notice.text).toContain('Entitle Demo Shop voided the sale of Gift card €25');
  expect(notice.text).toContain(REASON);
  expect(notice.text).toContain('ask Entitle Demo Shop for a refund or a replacement code');

  await customer.reload();
  await expect(card).toContainText('Voided');
  await customer.screenshot({ path: path.join(SCREENSHOTS, 'void-notice.png'), fullPage: true });
  await phone.close();
});
