import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { PHONE, followMagicLink, usePortalServer } from '../support/portal-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');
const BUYER = 'gift-buyer@example.test';
const FRIEND = 'gift-friend@example.test';

let magicLinks = 0;

const portal = usePortalServer('gift');

test('a gift reaches its recipient, who claims it; the buyer sees it as given', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(portal.url, 'Gift till');
  const sale = await till.makeSale(
    [
      {
        productId: 'prod-gift-25',
        name: 'Gift card €25',
        kind: 'gift_card',
        unitPrice: 2500,
        quantity: 1,
        gift: { recipientEmail: FRIEND, message: 'Happy birthday!' },
      },
    ],
    { buyerEmail: BUYER },
  );
  const code = sale.lines[0]?.codes[0] ?? '';
  await till.push('sales', [sale]);

  // The recipient's e-mail: the code, its link and the buyer's words.
  const gift = await waitForEmail(portal.dataDir, 'gift-email');
  expect(gift.to && 'text' in gift.to ? gift.to.text : '').toContain(FRIEND);
  expect(gift.subject).toBe('A gift for you from Entitle Demo Shop');
  expect(gift.text).toContain('Happy birthday!');
  expect(gift.text).toContain(formatCode(code));
  const link = /https?:\/\/\S+\/redeem\/[0-9A-Z]+/.exec(gift.text ?? '')?.[0];
  expect(link).toBe(`${portal.url}/redeem/${code}`);

  // The buyer's receipt names the recipient, not the code.
  const receipt = await waitForEmail(portal.dataDir, 'sale-codes-email');
  expect(receipt.text).toContain(`sent to ${FRIEND} on`);
  expect(receipt.text).not.toContain(formatCode(code));

  // The recipient opens the link on a phone and claims the gift.
  const friendPhone = await browser.newContext(PHONE);
  const friend = await friendPhone.newPage();
  await friend.goto(link!);
  await friend.getByLabel('E-mail address').fill(FRIEND);
  await friend.getByRole('button', { name: 'Send me a link' }).click();
  await expect(friend.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  await followMagicLink(friend, portal, magicLinks++);
  await friend.goto(`${portal.url}/account`);
  await expect(friend.locator(`li[data-code="${code}"]`)).toContainText('Claimed by you on');
  await friendPhone.close();

  // The buyer signs in: the gift shows whom it went to, without the code.
  const buyerPhone = await browser.newContext(PHONE);
  const buyer = await buyerPhone.newPage();
  await buyer.goto(`${portal.url}/signin`);
  await buyer.getByLabel('E-mail address').fill(BUYER);
  await buyer.getByRole('button', { name: 'Send me a link' }).click();
  await followMagicLink(buyer, portal, magicLinks++);
  await expect(buyer.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(buyer.getByText(`Given to ${FRIEND} — sent`)).toBeVisible();
  await expect(buyer.locator('main')).not.toContainText(formatCode(code));
  await buyer.screenshot({ path: path.join(SCREENSHOTS, 'gift.png'), fullPage: true });
  await buyerPhone.close();
});
