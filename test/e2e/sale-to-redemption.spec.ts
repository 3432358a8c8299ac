import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startWebPosServer } from '../../scripts/web-pos-server.ts';
import type { WebPosServer } from '../../scripts/web-pos-server.ts';
import { pendingCount } from '../support/counter-e2e.ts';
import { freePort } from '../support/free-port.ts';
import { waitForEmail } from '../support/mail-folder.ts';
import { PHONE } from '../support/portal-e2e.ts';
import { decodeQrPng } from '../support/qr.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { startServerProcess } from '../support/server-process.ts';
import { signIn } from '../support/staff-e2e.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');

let dataDir: string;
let port: number;
let server: ServerProcess | null = null;
let pos: WebPosServer;

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'entitle-e2e-'));
  port = await freePort();
  server = await startServerProcess({ dataDir, port });
  pos = await startWebPosServer({
    rendererDir: 'dist/renderer',
    serverUrl: server.url,
    demo: true,
  });
});

test.afterAll(async () => {
  await server?.stop();
  await pos.close();
  await rm(dataDir, { recursive: true, force: true });
});

test('a cash sale made offline survives a reload, syncs, is claimed by the customer, and the POS learns it', async ({
  browser,
}) => {
  const counter = await browser.newContext();
  const till = await counter.newPage();
  await till.goto(pos.url);

  // First start: the demo terminal enrols itself and pulls the catalogue while the server is up.
  await expect(till.getByTestId('online-status')).toHaveText('Online');
  // Staff PINs are synced with the catalogue: signing in needs no server from here on.
  await signIn(till);
  await expect(till.getByRole('button', { name: /Add Gift card €25/ })).toBeVisible();

  // The server goes away; selling must not notice.
  await server?.stop();
  server = null;
  await expect(till.getByTestId('online-status')).toHaveText('Offline');

  await till.getByRole('searchbox', { name: 'Search products' }).fill('gift 25');
  await till.getByRole('button', { name: /Add Gift card €25/ }).click();
  await till.getByRole('searchbox', { name: 'Search products' }).fill('');
  await till.getByRole('button', { name: /Add Diagnostic test voucher/ }).click();
  await expect(till.getByTestId('cart-line')).toHaveCount(2);
  await expect(till.getByTestId('cart-total')).toHaveText('€114.00');

  // The open cart is in IndexedDB too: a reload in the middle of a sale keeps it.
  await till.reload();
  await expect(till.getByTestId('cart-line')).toHaveCount(2);
  await expect(till.getByTestId('cart-total')).toHaveText('€114.00');
  // "/" jumps to the search box from anywhere on the sell screen.
  await till.getByRole('heading', { name: /Cart/ }).click();
  await expect(till.getByRole('searchbox', { name: 'Search products' })).not.toBeFocused();
  await till.keyboard.press('/');
  await expect(till.getByRole('searchbox', { name: 'Search products' })).toBeFocused();
  await expect(till.getByRole('searchbox', { name: 'Search products' })).toHaveValue('');
  await till.screenshot({ path: path.join(SCREENSHOTS, 'sell.png') });

  await till.getByRole('button', { name: /^Charge/ }).click();
  await till.getByLabel('Cash received').fill('120');
  await expect(till.getByTestId('change-preview')).toHaveText('€6.00');
  await till.getByRole('button', { name: 'Complete sale' }).click();

  const cards = till.getByTestId('code-card');
  await expect(cards).toHaveCount(2);
  await expect(till.getByTestId('change-due')).toContainText('€6.00');
  await expect(cards.first().getByTestId('code-state')).toHaveText('Issued, not yet synced');
  const codes = await cards.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('data-code') ?? ''),
  );
  expect(new Set(codes).size).toBe(2);
  await expect.poll(() => pendingCount(till)).toBe(1);
  await till.screenshot({ path: path.join(SCREENSHOTS, 'receipt.png'), fullPage: true });

  // In a browser, Print opens the print dialog (the print stylesheet shows only the receipt).
  await till.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', 'yes');
  });
  await till.getByRole('button', { name: 'Print receipt' }).click();
  await expect(till.locator('body')).toHaveAttribute('data-printed', 'yes');
  await till.emulateMedia({ media: 'print' });
  await expect(till.getByRole('button', { name: 'New sale' })).toBeHidden();
  await expect(cards.first()).toBeVisible();
  await till.emulateMedia({ media: 'screen' });

  // The QR on the receipt decodes (with jsQR) to the code's redemption URL.
  const qrUrl = decodeQrPng(await cards.first().locator('svg.qr').screenshot());
  expect(qrUrl).toBe(`http://127.0.0.1:${String(port)}/redeem/${codes[0]!}`);

  // A reload (or a crash) loses nothing: the receipt comes back with the same two codes.
  await till.reload();
  await expect(till.getByTestId('code-card')).toHaveCount(2);
  const afterReload = await till
    .getByTestId('code-card')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-code') ?? ''));
  expect(afterReload).toEqual(codes);
  await till.getByRole('link', { name: 'Sales' }).click();
  await expect(till.getByTestId('sale-row')).toHaveCount(1);
  await expect(till.getByTestId('sale-row')).toContainText('Waiting to sync');

  // The server comes back on the same data: the sale replicates and the count drops to zero.
  server = await startServerProcess({ dataDir, port });
  await expect(till.getByTestId('online-status')).toHaveText('Online', { timeout: 30_000 });
  await expect.poll(() => pendingCount(till), { timeout: 30_000 }).toBe(0);
  await expect(till.getByTestId('sale-row')).toContainText('Synced');

  // A customer, on a phone without JavaScript, follows the QR link: the page says what the code
  // is. A gift card is spent at the counter, so there is no anonymous "Redeem now".
  const phone = await browser.newContext(PHONE);
  const customer = await phone.newPage();
  await customer.goto(qrUrl!);
  await expect(customer.getByRole('heading', { name: 'Gift card €25' })).toBeVisible();
  await expect(customer.getByText('A gift card with €25.00 on it.')).toBeVisible();
  await expect(customer.getByText(/Valid (until|through)/)).toBeVisible();
  await expect(customer.getByRole('button', { name: 'Redeem now' })).toHaveCount(0);
  await customer.screenshot({ path: path.join(SCREENSHOTS, 'redeem.png'), fullPage: true });

  // Typing the code by hand, in lower case with spaces, finds the same card.
  await customer.goto(`${server.url}/redeem`);
  await customer.getByLabel(/code/i).fill(codes[0]!.toLowerCase().replace(/(.{4})/g, '$1 '));
  await customer.getByRole('button', { name: 'Check code' }).click();
  await expect(customer.getByText('A gift card with €25.00 on it.')).toBeVisible();

  // The customer claims it by e-mail: a gift card has nothing to register, so it is active.
  await customer.getByLabel('E-mail address').fill('card.holder@example.test');
  await customer.getByRole('button', { name: 'Send me a link' }).click();
  await expect(customer.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  const mail = await waitForEmail(dataDir, 'magic-link-email');
  const link = /https?:\/\/\S+\/auth\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? '')?.[0];
  await customer.goto(link!);
  await customer.getByRole('button', { name: 'Continue' }).click();
  await expect(customer).toHaveURL(/\/account$/);

  // A mistyped character is caught by the check symbol and said so.
  const typo = codes[1]!.slice(0, 5) + (codes[1]![5] === 'X' ? 'Y' : 'X') + codes[1]!.slice(6);
  await customer.goto(`${server.url}/redeem`);
  await customer.getByLabel(/code/i).fill(typo);
  await customer.getByRole('button', { name: 'Check code' }).click();
  await expect(customer.getByRole('alert')).toContainText(/typo/i);
  await phone.close();

  // Back at the counter, the receipt learns the new state from the server.
  await till.getByRole('link', { name: /^[0-9A-Z]{4}-000001$/ }).click();
  const claimedCard = till.locator(`[data-testid="code-card"][data-code="${codes[0]!}"]`);
  await expect(claimedCard.getByTestId('code-state')).toContainText('Active', {
    timeout: 20_000,
  });
  const otherCard = till.locator(`[data-testid="code-card"][data-code="${codes[1]!}"]`);
  await expect(otherCard.getByTestId('code-state')).toHaveText('Ready to redeem');
  await counter.close();
});
