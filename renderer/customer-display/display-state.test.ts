import { describe, expect, it } from 'vitest';
import type { Sale } from '../../shared/schemas/sale.ts';
import {
  displayStateOf,
  DisplayState,
  parseDisplayMessage,
  THANK_YOU_MS,
  type CartForDisplay,
} from './display-state.ts';

const EMPTY_CART: CartForDisplay = {
  lines: [],
  subtotal: 0,
  discountTotal: 0,
  taxTotal: 0,
  total: 0,
  paid: 0,
};

const CART: CartForDisplay = {
  lines: [
    { name: 'Winter Gala', quantity: 2, lineTotal: 9000, discountAmount: 900, total: 8100 },
    { name: 'Gift card €25', quantity: 1, lineTotal: 2500, discountAmount: 0, total: 2500 },
  ],
  subtotal: 11500,
  discountTotal: 900,
  taxTotal: 736,
  total: 10600,
  paid: 4000,
};

const SOLD_AT = Date.parse('2026-11-27T10:00:00.000Z');

const SALE: Sale = {
  id: 'sale-1',
  storeId: 'store-1',
  terminalId: 'term-1',
  terminalPrefix: 'T1T1',
  receiptNumber: 'T1T1-000001',
  createdAt: new Date(SOLD_AT).toISOString(),
  staffId: null,
  shiftId: null,
  discountApprovedBy: null,
  currency: 'EUR',
  lines: [
    {
      lineId: 'line-1',
      productId: 'prod-winter-gala',
      name: 'Winter Gala',
      kind: 'ticket',
      unitPrice: 4500,
      quantity: 2,
      lineTotal: 9000,
      discountAmount: 0,
      tax: null,
      total: 9000,
      codes: ['T1T1AAAAAA1234567890ABCDE', 'T1T1AAAAAB1234567890ABCDE'],
    },
  ],
  subtotal: 9000,
  discountTotal: 0,
  taxTotal: 0,
  total: 9000,
  payments: [{ method: 'cash', amount: 9000, rounding: 0, tendered: 10000, change: 1000 }],
  buyerEmail: 'buyer@example.com',
};

const base = {
  storeName: 'High Street',
  currency: 'EUR',
  redeemBase: 'https://shop.example/redeem/',
};

describe('parseDisplayMessage refuses', () => {
  it('anything that is not a display message, or a state that carries more than it should', () => {
    expect(parseDisplayMessage(null)).toBeNull();
    expect(parseDisplayMessage('hello')).toBeNull();
    expect(parseDisplayMessage({ type: 'state', state: { kind: 'receipt' } })).toBeNull();
    expect(
      parseDisplayMessage({
        type: 'state',
        state: { kind: 'welcome', storeName: 'High Street', token: 'secret' },
      }),
    ).toBeNull();
  });
});

describe('displayStateOf', () => {
  it('welcomes when there is no cart and no sale', () => {
    expect(displayStateOf({ ...base, cart: EMPTY_CART, lastSale: null, now: SOLD_AT })).toEqual({
      kind: 'welcome',
      storeName: 'High Street',
    });
  });

  it('shows the cart lines, discounts, totals and what is left to pay', () => {
    const state = displayStateOf({ ...base, cart: CART, lastSale: null, now: SOLD_AT });
    expect(state).toMatchObject({
      kind: 'cart',
      currency: 'EUR',
      subtotal: 11500,
      discountTotal: 900,
      total: 10600,
      paid: 4000,
      remaining: 6600,
    });
    expect(state.kind === 'cart' && state.lines.map((line) => line.name)).toEqual([
      'Winter Gala',
      'Gift card €25',
    ]);
  });

  it('thanks the customer with the codes and their redemption URLs, and nothing private', () => {
    const state = displayStateOf({ ...base, cart: EMPTY_CART, lastSale: SALE, now: SOLD_AT + 5 });
    expect(state).toEqual({
      kind: 'thank-you',
      storeName: 'High Street',
      currency: 'EUR',
      total: 9000,
      change: 1000,
      codes: [
        {
          productName: 'Winter Gala',
          code: 'T1T1-AAAA-AA12-3456-7890-ABCD-E',
          url: 'https://shop.example/redeem/T1T1AAAAAA1234567890ABCDE',
        },
        {
          productName: 'Winter Gala',
          code: 'T1T1-AAAA-AB12-3456-7890-ABCD-E',
          url: 'https://shop.example/redeem/T1T1AAAAAB1234567890ABCDE',
        },
      ],
      endsAt: SOLD_AT + THANK_YOU_MS,
    });
    expect(JSON.stringify(state)).not.toContain('buyer@example.com');
    expect(DisplayState.safeParse(state).success).toBe(true);
  });

  it('goes back to welcome a minute after the sale', () => {
    const at = (now: number) =>
      displayStateOf({ ...base, cart: EMPTY_CART, lastSale: SALE, now }).kind;
    expect(at(SOLD_AT + THANK_YOU_MS - 1)).toBe('thank-you');
    expect(at(SOLD_AT + THANK_YOU_MS)).toBe('welcome');
  });

  it('ends the thank-you as soon as the next sale has a line', () => {
    expect(displayStateOf({ ...base, cart: CART, lastSale: SALE, now: SOLD_AT + 1 }).kind).toBe(
      'cart',
    );
  });
});
