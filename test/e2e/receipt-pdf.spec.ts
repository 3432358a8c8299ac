import { expect, test } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { useCounterServer } from '../support/counter-e2e.ts';
import { signIn } from '../support/staff-e2e.ts';
import { decodeAllQrs, pdfPagesAsPng, pdfText } from '../support/pdf.ts';

const shop = useCounterServer('receipt-pdf');

test('the receipt printed to PDF carries every code as text and as a QR code of its redemption URL', async ({
  page,
}) => {
  await page.goto(shop.pos.url);
  await signIn(page);
  const search = page.getByRole('searchbox', { name: 'Search products' });
  await expect(page.getByRole('button', { name: /Add Gift card €25/ })).toBeVisible();
  await page.getByRole('button', { name: /Add Gift card €25/ }).click();
  await page.getByRole('button', { name: /Add Gift card €25/ }).click();
  await search.fill('');
  await page.getByRole('button', { name: /Add Diagnostic test voucher/ }).click();
  await page.getByRole('button', { name: /^Charge/ }).click();
  await page.getByLabel('Cash received').fill('200');
  await page.getByRole('button', { name: 'Complete sale' }).click();

  const cards = page.getByTestId('code-card');
  await expect(cards).toHaveCount(3);
  const codes = await cards.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('data-code') ?? ''),
  );
  expect(new Set(codes).size).toBe(3);
  // Each code says how to redeem it, on screen as on paper.
  await expect(cards.first()).toContainText('Scan the QR code or go to');

  // Chromium's print-to-PDF: the same engine and print stylesheet as Electron's printToPDF.
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const text = (await pdfText(pdf)).replace(/[ \t]+/g, ' ');
  for (const code of codes) expect(text).toContain(formatCode(code));
  expect(text).toContain('Total');
  expect(text).not.toContain('New sale');

  const decoded = (await pdfPagesAsPng(pdf, 200)).flatMap((png) => decodeAllQrs(png));
  // The same URL the screen's QR, the e-mail and the printer's QR carry: <PUBLIC_URL>/redeem/<code>.
  expect(decoded.sort()).toEqual(codes.map((code) => `${shop.server.url}/redeem/${code}`).sort());
});
