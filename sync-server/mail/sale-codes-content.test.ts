import { describe, expect, it } from 'vitest';
import type { Sale } from '../../shared/schemas/sale.ts';
import { TICKET_TEMPLATE, sampleSale } from '../../shared/receipt/receipt-fixtures.test-support.ts';
import { renderSaleCodesEmail } from './sale-codes-content.ts';

const CODE = 'AB12000001XXXXXXXXXXXXXX';
const sale: Sale = {
  id: 'sale-1',
  storeId: 'store-1',
  terminalId: 'term-1',
  terminalPrefix: 'AB12',
  receiptNumber: 'AB12-000042',
  createdAt: '2026-11-26T10:00:00.000Z',
  currency: 'JPY',
  staffId: null,
  shiftId: null,
  discountApprovedBy: null,
  lines: [
    {
      lineId: 'line-1',
      productId: 'prod-1',
      name: 'Gift <b>card</b> & "more"',
      kind: 'gift_card',
      unitPrice: 3000,
      quantity: 1,
      lineTotal: 3000,
      discountAmount: 0,
      tax: null,
      total: 3000,
      codes: [CODE],
    },
  ],
  subtotal: 3000,
  discountTotal: 0,
  taxTotal: 0,
  total: 3000,
  payments: [{ method: 'cash', amount: 3000, rounding: 0, tendered: 3000, change: 0 }],
  buyerEmail: 'buyer@example.test',
};

describe('renderSaleCodesEmail', () => {
  const email = renderSaleCodesEmail({
    sale,
    storeName: 'Corner <Shop>',
    publicUrl: 'https://shop.example',
  });

  it('names the store in the subject and writes the text part as typed', () => {
    expect(email.subject).toBe('Your receipt and codes from Corner <Shop>');
    expect(email.text).toContain('Thank you for your purchase at Corner <Shop>.');
    expect(email.text).toContain('Receipt AB12-000042, 26 November 2026 at 10:00 UTC');
    expect(email.text).toContain('Your code:\n\nAB12-0000-01XX-XXXX-XXXX-XXXX\n');
    expect(email.text).toContain('  for Gift <b>card</b> & "more" (Gift card)\n');
    expect(email.text).toContain('  1 × Gift <b>card</b> & "more": JP¥3,000\n');
    expect(email.text).toContain(`  redeem at https://shop.example/redeem/${CODE}\n`);
  });

  it('formats money in the sale currency from integer minor units (yen have none)', () => {
    expect(email.text).toContain('Total: JP¥3,000');
    expect(email.html).toContain('JP¥3,000');
  });

  it('escapes everything a shop or a terminal typed in the HTML part', () => {
    expect(email.html).not.toContain('<b>');
    expect(email.html).not.toContain('<Shop>');
    expect(email.html).toContain('Gift &lt;b&gt;card&lt;/b&gt; &amp; &quot;more&quot;');
    expect(email.html).toContain('<title>Your receipt from Corner &lt;Shop&gt;</title>');
    expect(email.html).toContain(`<a href="https://shop.example/redeem/${CODE}">`);
  });
});

describe('renderSaleCodesEmail with gift lines', () => {
  const line = sale.lines[0]!;
  const gifts: Sale = {
    ...sale,
    lines: [
      { ...line, gift: { recipientEmail: 'jo@example.test' } },
      {
        ...line,
        lineId: 'line-2',
        codes: ['AB12000002YYYYYYYYYYYYYY'],
        gift: { recipientEmail: 'kim@example.test', sendOn: '2026-12-24', message: 'Merry' },
      },
    ],
    total: 6000,
    payments: [{ method: 'cash', amount: 6000, rounding: 0, tendered: 6000, change: 0 }],
  };
  const email = renderSaleCodesEmail({ sale: gifts, storeName: 'Shop', publicUrl: 'https://s' });

  it('lists who gets each gift and when, instead of its codes', () => {
    expect(email.text).toContain('sent to jo@example.test on 26 November 2026');
    expect(email.text).toContain('will be sent to kim@example.test on 24 December 2026');
    expect(email.html).toContain('will be sent to kim@example.test on 24 December 2026');
    for (const part of [email.text, email.html]) {
      expect(part).not.toContain('AB12000001');
      expect(part).not.toContain('AB12-0000-01');
      expect(part).not.toContain('AB12000002');
    }
    expect(email.text).not.toMatch(/Your (\d+ )?codes?:/);
    expect(email.html).not.toMatch(/<h2>Your (\d+ )?codes?<\/h2>/);
  });
});

describe('renderSaleCodesEmail is the full receipt', () => {
  const sale = sampleSale((total) => [
    { method: 'card', amount: 5000, paymentIntentId: 'pi_1', brand: 'Visa', last4: '4242' },
    {
      method: 'cash',
      amount: total - 5000,
      rounding: 0,
      tendered: 7000,
      change: 7000 - total + 5000,
    },
  ]);
  const email = renderSaleCodesEmail({
    sale,
    storeName: 'Corner Shop',
    publicUrl: 'https://shop.example',
    templates: new Map([['prod-gala', TICKET_TEMPLATE]]),
  });

  it('lists discounts, tax per class and every payment in both parts', () => {
    for (const part of [email.text, email.html]) {
      expect(part).toContain('10% off');
      expect(part).toContain('Discounts (cart €5.00 off)');
      expect(part).toContain('−€14.90');
      expect(part).toContain('VAT 20% incl.');
      expect(part).toContain('€19.02');
      expect(part).toContain('€114.10');
      expect(part).toContain('Card Visa •••• 4242');
      expect(part).toContain('Change €5.90');
    }
    expect(email.text).toContain('Subtotal: €129.00\n');
    expect(email.text).toContain('Total: €114.10\n');
  });

  it('gives each code what it is for, from the template, and its link', () => {
    expect(email.text).toContain('  for Gala ticket (Ticket · Winter Gala, 19 Dec)\n');
    expect(email.text).toContain('  Winter Gala · 19 Dec 2026\n');
    for (const code of sale.lines.flatMap((line) => line.codes)) {
      expect(email.html).toContain(`<a href="https://shop.example/redeem/${code}">`);
    }
  });
});
