import { describe, expect, it } from 'vitest';
import { encodeDrawerKickEscPos, encodeReceiptEscPos, printable, twoColumns } from './escpos.ts';
import { sampleSale } from './receipt-fixtures.test-support.ts';
import { buildReceipt } from './receipt-model.ts';

describe('ESC/POS text', () => {
  it('never sends a character the printer would print as "?" or read as a control code', () => {
    const receipt = buildReceipt({
      sale: sampleSale((total) => [
        { method: 'card', amount: 5000, paymentIntentId: 'pi_1', brand: 'Visa', last4: '4242' },
        { method: 'cash', amount: total - 5000, rounding: 0, tendered: 7000, change: 1900 },
      ]),
      store: { name: 'Corner Shop' },
      terminalName: 'Till 1',
      redeemBaseUrl: 'https://s.example/redeem',
      templates: new Map(),
    });
    const bytes = Buffer.from(encodeReceiptEscPos(receipt));
    const text = bytes.toString('latin1');
    expect(text).not.toContain('?');
    expect(bytes.includes(0x07)).toBe(false);
    expect(text).toContain('Card Visa **** 4242');
    expect(text).toMatch(/-.?14\.90/);
  });

  it('swaps the typographic characters for plain ones', () => {
    expect(printable('−€5 • … ’a’ “b” —')).toBe('-€5 * ... \'a\' "b" -');
  });

  it('lays a label and an amount on one line, shortening the label, never the amount', () => {
    expect(twoColumns('Total', '€9.00', 16)).toBe('Total      €9.00');
    expect(twoColumns('A very long product name', '€19.00', 16)).toBe('A very l… €19.00');
  });
});

describe('drawer kick without a sale', () => {
  const hasPulse = (bytes: Uint8Array) =>
    bytes.some((byte, index) => byte === 0x1b && bytes[index + 1] === 0x70);

  it('sends the drawer pulse (ESC p) and no receipt', () => {
    const bytes = encodeDrawerKickEscPos();
    expect(hasPulse(bytes)).toBe(true);
    expect(bytes.includes(0x1d)).toBe(false); // no GS command: no cut, no QR code
  });
});

describe('served by on paper', () => {
  it('prints the staff member under the receipt number', () => {
    const receipt = buildReceipt({
      sale: sampleSale(),
      store: { name: 'Corner Shop' },
      terminalName: 'Till 1',
      servedBy: 'Alex',
      redeemBaseUrl: 'https://shop.example/redeem',
      templates: new Map(),
    });
    const text = new TextDecoder('latin1').decode(encodeReceiptEscPos(receipt));
    expect(text).toContain('Served by Alex');
  });
});
