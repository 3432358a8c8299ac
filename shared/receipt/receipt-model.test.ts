import { describe, expect, it } from 'vitest';
import { buildReceipt, redeemUrlOf } from './receipt-model.ts';
import {
  CODE_A,
  CODE_B,
  CODE_C,
  TICKET_TEMPLATE,
  sampleSale,
} from './receipt-fixtures.test-support.ts';

const base = {
  store: { name: 'Corner Shop' },
  terminalName: 'Till 1',
  redeemBaseUrl: 'https://shop.example/redeem/',
  templates: new Map([['prod-gala', TICKET_TEMPLATE]]),
};

describe('buildReceipt', () => {
  it('refuses nothing but shows a void and refunds when the sale has them', () => {
    const sale = sampleSale();
    const receipt = buildReceipt({
      ...base,
      sale,
      voided: {
        id: 'void-1',
        storeId: 'store-1',
        terminalId: 'term-1',
        saleId: sale.id,
        receiptNumber: sale.receiptNumber,
        reason: 'Wrong item',
        staffId: null,
        approvedBy: null,
        createdAt: '2026-11-26T10:05:00.000Z',
      },
      refunds: [
        {
          id: 'ref-1',
          storeId: 'store-1',
          terminalId: 'term-1',
          saleId: sale.id,
          receiptNumber: sale.receiptNumber,
          lineIds: ['line-2'],
          amount: sale.lines[1]!.total,
          tenders: [{ method: 'cash', amount: sale.lines[1]!.total }],
          reason: 'Cannot attend',
          takenOffline: false,
          staffId: null,
          approvedBy: null,
          createdAt: '2026-11-26T11:00:00.000Z',
        },
      ],
    });
    expect(receipt.voided).toEqual({ at: '2026-11-26T10:05:00.000Z', reason: 'Wrong item' });
    expect(receipt.refunds).toEqual([
      {
        at: '2026-11-26T11:00:00.000Z',
        amount: '€28.74',
        reason: 'Cannot attend',
        lines: ['1 × Gala ticket'],
      },
    ]);
  });

  it('lists the lines after discounts, the discount given and the price before it', () => {
    const receipt = buildReceipt({ ...base, sale: sampleSale() });
    expect(receipt.lines).toEqual([
      {
        lineId: 'line-1',
        label: '2 × Spa voucher',
        discount: '10% off',
        giftNote: null,
        amount: '€85.36',
        listAmount: '€99.00',
      },
      {
        lineId: 'line-2',
        label: '1 × Gala ticket',
        discount: null,
        giftNote: null,
        amount: '€28.74',
        listAmount: '€30.00',
      },
    ]);
  });

  it('totals: subtotal, the discounts with the cart discount named, VAT per class, total', () => {
    const sale = sampleSale();
    const receipt = buildReceipt({ ...base, sale });
    expect(receipt.totals).toEqual({
      subtotal: '€129.00',
      discounts: { label: 'Discounts (cart €5.00 off)', amount: '−€14.90' },
      taxes: [{ label: 'VAT 20% incl.', amount: '€19.02' }],
      total: '€114.10',
    });
    expect(sale.taxTotal).toBe(1902);
  });

  it('payments: cash with tendered, rounding and change; card with brand, last4 and partial', () => {
    const receipt = buildReceipt({
      ...base,
      sale: sampleSale((total) => [
        {
          method: 'card',
          amount: 5000,
          paymentIntentId: 'pi_123',
          brand: 'Visa',
          last4: '4242',
          partial: true,
        },
        {
          method: 'cash',
          amount: total - 5000,
          rounding: 0,
          tendered: 7000,
          change: 7000 - (total - 5000),
        },
      ]),
    });
    expect(receipt.payments).toEqual([
      { label: 'Card Visa •••• 4242', amount: '€50.00', details: ['Partial approval'] },
      { label: 'Cash', amount: '€64.10', details: ['Tendered €70.00', 'Change €5.90'] },
    ]);
    expect(receipt.paidInCash).toBe(true);
  });

  it('a card-only sale does not open the drawer', () => {
    const receipt = buildReceipt({
      ...base,
      sale: sampleSale((total) => [{ method: 'card', amount: total, paymentIntentId: 'pi_9' }]),
    });
    expect(receipt.paidInCash).toBe(false);
    expect(receipt.payments[0]?.label).toBe('Card');
  });

  it('one entry per code: formatted, what it is for, how to redeem, and its URL', () => {
    const receipt = buildReceipt({
      ...base,
      sale: sampleSale(),
      statuses: new Map([[CODE_C, { state: 'consumed' as const }]]),
    });
    expect(receipt.codes.map((code) => code.code)).toEqual([CODE_A, CODE_B, CODE_C]);
    const [first, , ticket] = receipt.codes;
    expect(first).toMatchObject({
      formatted: 'AB12-0000-01AA-AAAA-AAAA-AAAA',
      productName: 'Spa voucher',
      summary: 'Voucher',
      notes: [],
      howToRedeem: 'Scan the QR code or go to shop.example/redeem and type the code.',
      url: `https://shop.example/redeem/${CODE_A}`,
      state: 'issued',
      stateLabel: 'Issued, not yet synced',
      giftFor: null,
    });
    expect(ticket).toMatchObject({
      summary: 'Ticket · Winter Gala, 19 Dec',
      notes: ['Winter Gala · 19 Dec 2026'],
      state: 'consumed',
      stateLabel: 'Redeemed',
    });
  });

  it('the QR URL is the one the on-screen receipt always used', () => {
    expect(redeemUrlOf('https://s.test/redeem//', 'X')).toBe('https://s.test/redeem/X');
  });
});

describe('who served the customer', () => {
  it('names the staff member when known, and nobody when the sale predates sign-in', () => {
    const sale = sampleSale();
    expect(buildReceipt({ ...base, sale, servedBy: 'Alex' }).servedBy).toBe('Alex');
    expect(buildReceipt({ ...base, sale }).servedBy).toBeNull();
  });
});
