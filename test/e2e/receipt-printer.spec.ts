import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { useCounterServer } from '../support/counter-e2e.ts';
import { CUT, PULSE, useFakePrinter } from '../support/fake-printer.ts';
import { signIn } from '../support/staff-e2e.ts';
import { waitForEmail } from '../support/mail-folder.ts';

const SCREENSHOTS = path.join('docs', 'screenshots');

/** GS ( k pL pH 49 80 48 <url>: the printer's own QR command storing the URL. */
function qrStore(url: string): Buffer {
  const length = url.length + 3;
  return Buffer.concat([
    Buffer.from([0x1d, 0x28, 0x6b, length % 256, Math.floor(length / 256), 0x31, 0x50, 0x30]),
    Buffer.from(url, 'latin1'),
  ]);
}

const printer = useFakePrinter();

// The relay prints only to allowed ports; the listener's port is a random free one.
const shop = useCounterServer('printer', {
  env: () => ({ PRINTER_PORTS: String(printer.port) }),
});

test('settings choose a network printer; the test page, the sale, a failed print, Retry and a reprint all reach it', async ({
  page,
}) => {
  await page.goto(shop.pos.url);
  await signIn(page);
  await expect(page.getByRole('button', { name: /Add Gift card €25/ })).toBeVisible();

  // Settings: a network printer at the listener, then a test page.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: /A network receipt printer/ }).check();
  await page.getByRole('textbox', { name: 'Printer address' }).fill('http://127.0.0.1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('printer-outcome')).toContainText('IP address');
  await page.getByRole('textbox', { name: 'Printer address' }).fill('127.0.0.1');
  await page.getByRole('textbox', { name: 'Port' }).fill(String(printer.port));
  await page.getByRole('button', { name: 'Print test page' }).click();
  await expect(page.getByTestId('printer-outcome')).toHaveText(
    `The test page was sent to 127.0.0.1:${String(printer.port)}.`,
  );
  await expect.poll(() => printer.jobs.length).toBe(1);
  expect(printer.jobs[0]!.toString('latin1')).toContain('Entitle test page');
  expect(printer.jobs[0]!.includes(CUT)).toBe(true);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'printer-settings.png') });

  // A cash sale prints by itself on the chosen printer, and kicks the drawer.
  await page.getByRole('link', { name: 'Sell' }).click();
  await page.getByRole('button', { name: /Add Gift card €25/ }).click();
  await page.getByRole('button', { name: /^Charge/ }).click();
  await page.getByLabel('Cash received').fill('50');
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const cards = page.getByTestId('code-card');
  await expect(cards).toHaveCount(1);
  const code = (await cards.first().getAttribute('data-code'))!;
  const receiptNumber = (await page.getByTestId('receipt-number').textContent())!;
  await expect(page.getByTestId('print-outcome')).toHaveText('Receipt printed.');
  await expect.poll(() => printer.jobs.length).toBe(2);
  const sale = printer.jobs[1]!;
  expect(sale.toString('latin1')).toContain(formatCode(code));
  expect(sale.toString('latin1')).toContain(receiptNumber);
  expect(sale.includes(qrStore(`${shop.server.url}/redeem/${code}`))).toBe(true);
  expect(sale.includes(PULSE)).toBe(true);
  expect(sale.lastIndexOf(CUT)).toBeGreaterThan(sale.lastIndexOf(PULSE));

  // The printer goes away: the print fails with what to do, and the codes stay on screen.
  await printer.stop();
  await page.getByRole('button', { name: 'Print receipt' }).click();
  await expect(page.getByRole('alert')).toContainText(
    `The printer at 127.0.0.1:${String(printer.port)} did not answer. Check it is on and on the network, then press Retry.`,
  );
  await expect(cards).toHaveCount(1);
  await printer.start();
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('print-outcome')).toHaveText('Receipt printed.');
  await expect.poll(() => printer.jobs.length).toBe(3);
  expect(printer.jobs[2]!.toString('latin1')).toContain(formatCode(code));
  // A reprint never opens the drawer.
  expect(printer.jobs[2]!.includes(PULSE)).toBe(false);

  // Sales → Reprint prints the same receipt again.
  await page.getByRole('link', { name: /^Sales/ }).click();
  await page.getByRole('button', { name: `Reprint receipt ${receiptNumber}` }).click();
  await expect(page.getByTestId('receipt-number')).toHaveText(receiptNumber);
  await expect(page.getByTestId('print-outcome')).toHaveText('Receipt printed.');
  await expect.poll(() => printer.jobs.length).toBe(4);
  expect(printer.jobs[3]!.includes(qrStore(`${shop.server.url}/redeem/${code}`))).toBe(true);

  // Sales → Resend e-mail asks for the address; the server mails the full receipt again.
  await page.getByRole('link', { name: /^Sales/ }).click();
  await page.getByRole('button', { name: `Resend e-mail of receipt ${receiptNumber}` }).click();
  await page.getByLabel(`E-mail the receipt of ${receiptNumber} to`).fill('ana@example.test');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByText('The receipt is on its way to ana@example.test.')).toBeVisible();
  const mail = await waitForEmail(shop.dataDir, 'resend_');
  expect(mail.subject).toBe('Your receipt and codes from Entitle Demo Shop');
  expect(mail.text).toContain(formatCode(code));
  expect(mail.text).toContain(`${shop.server.url}/redeem/${code}`);
  await page.getByRole('link', { name: receiptNumber, exact: true }).click();

  // With the server gone the web POS cannot reach the printer, and says so.
  await shop.server.stop();
  await page.getByRole('button', { name: 'Print receipt' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'The receipt printer is reached through the server, which is offline.',
  );
  await expect(cards).toHaveCount(1);
});
