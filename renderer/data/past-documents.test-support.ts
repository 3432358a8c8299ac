import { issueCode } from '../../shared/code/entitlement-code.ts';
import { TEMPLATES } from '../../shared/lifecycle/fixtures.test-support.ts';
import { VAT_20, sampleSale } from '../../shared/receipt/receipt-fixtures.test-support.ts';
import type { Product } from '../../shared/schemas/product.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { cash, refundOf, saleOf, voidOf } from '../../shared/shift/shift-fixtures.test-support.ts';
import type { CartDoc } from './local-schemas.ts';
import { OPEN_CART_ID } from './local-schemas.ts';
import pastSchemas from './past-local-schemas.json' with { type: 'json' };

/**
 * Documents as past builds of the POS wrote them, each with the document the current build must
 * make of it. The current form is written first and the old one derived from it by taking away
 * what that version did not have, so "what it should become" is never guessed after the fact.
 */
export type PastCollection = keyof typeof pastSchemas;
export type Migrates<T> = { readonly old: Record<string, unknown>; readonly current: T };

/** The RxDB schema a collection had at `version`, from past-local-schemas.json (git history). */
export function pastSchema(collection: PastCollection, version: number): Record<string, unknown> {
  const entry = (pastSchemas[collection] as Record<string, { schema: Record<string, unknown> }>)[
    String(version)
  ];
  if (!entry) throw new Error(`No fixture for ${collection} v${String(version)}.`);
  return entry.schema;
}

export function pastVersions(collection: PastCollection): number[] {
  return Object.keys(pastSchemas[collection])
    .map(Number)
    .sort((a, b) => a - b);
}

const BEFORE_STAFF = { staffId: null, shiftId: null, discountApprovedBy: null } as const;

function withoutStaff({ staffId: _s, shiftId: _h, discountApprovedBy: _d, ...rest }: Sale) {
  return rest;
}

/**
 * Sales. v0 (protocol v1) and v1 (v2, gifts) had no discount, tax, card or rounding: plain cash
 * sales, v1 with a gift line. v2 (protocol v3) had all of those but no staff member.
 */
export async function salesAt(version: number): Promise<Migrates<Sale>[]> {
  return Promise.all(salesShapedAt(version).map(withIssuedCodes));
}

const CODE_KEY = new Uint8Array(32).fill(7);
let serial = 0;

/** Codes with a real check symbol and MAC, as the counter issued them, in both forms alike. */
async function withIssuedCodes({ old, current }: Migrates<Sale>): Promise<Migrates<Sale>> {
  const codes = await Promise.all(
    current.lines.map((line) =>
      Promise.all(
        line.codes.map(() => {
          serial += 1;
          return issueCode({ prefix: current.terminalPrefix, serial, key: CODE_KEY });
        }),
      ),
    ),
  );
  const oldLines = old.lines as Record<string, unknown>[];
  return {
    old: { ...old, lines: oldLines.map((line, index) => ({ ...line, codes: codes[index] })) },
    current: {
      ...current,
      lines: current.lines.map((line, index) => ({ ...line, codes: codes[index] ?? [] })),
    },
  };
}

function salesShapedAt(version: number): Migrates<Sale>[] {
  if (version >= 2) {
    const discounted = {
      ...sampleSale((total) => [
        { method: 'card', amount: 6000, paymentIntentId: 'pi_3Past', brand: 'visa', last4: '4242' },
        {
          method: 'cash',
          amount: total - 6000,
          rounding: 0,
          tendered: 6000,
          change: 12000 - total,
        },
      ]),
      id: `sale-v${String(version)}-a`,
      ...BEFORE_STAFF,
    };
    const plain = { ...saleOf(900 + version, { total: 2500 }), ...BEFORE_STAFF };
    plain.id = `sale-v${String(version)}-b`;
    return [discounted, plain].map((current) => ({ old: withoutStaff(current), current }));
  }
  return [1, 2, 3].map((n) => {
    const base = saleOf(100 * (version + 1) + n, {
      total: 2500 * n,
      quantity: n,
      kind: n === 3 ? 'gift_card' : 'voucher',
      payments: [cash(2500 * n, 2500 * n + 500)],
    });
    const gift = version === 1 && n === 2 ? { gift: { recipientEmail: 'ana@example.com' } } : {};
    const [first] = base.lines;
    if (!first) throw new Error('saleOf makes one line.');
    const line = { ...first, ...gift };
    const current: Sale = {
      ...base,
      id: `sale-v${String(version)}-${String(n)}`,
      lines: [line],
      ...BEFORE_STAFF,
    };
    const { discountAmount: _a, tax: _t, total: _l, ...oldLine } = line;
    const { subtotal: _s, discountTotal: _d, taxTotal: _x, ...oldSale } = withoutStaff(current);
    return {
      old: {
        ...oldSale,
        lines: [oldLine],
        payments: current.payments.map((payment) =>
          payment.method === 'cash'
            ? {
                method: 'cash',
                amount: payment.amount,
                tendered: payment.tendered,
                change: payment.change,
              }
            : payment,
        ),
        ...(n === 1 ? { buyerEmail: 'buyer@example.com' } : {}),
      },
      current: { ...current, ...(n === 1 ? { buyerEmail: 'buyer@example.com' } : {}) },
    };
  });
}

/** Voids and refunds before protocol v4 named no staff member and no approving manager. */
export function voidsAt(version: number): Migrates<SaleVoid>[] {
  return [1, 2].map((n) => {
    const current = {
      ...voidOf(
        saleOf(500 + n),
        `2026-11-27T10:0${String(n)}:00.000Z`,
        `void-v${String(version)}-${String(n)}`,
      ),
      staffId: null,
      approvedBy: null,
    };
    const { staffId: _s, approvedBy: _a, ...old } = current;
    return { old, current };
  });
}

export function refundsAt(version: number): Migrates<SaleRefund>[] {
  return [1, 2].map((n) => {
    const sale = saleOf(600 + n, { total: 1500 });
    const tenders: SaleRefund['tenders'] =
      n === 1
        ? [{ method: 'cash', amount: 1500 }]
        : [{ method: 'card', amount: 1500, paymentIntentId: 'pi_3Refund' }];
    const current = {
      ...refundOf(
        sale,
        `2026-11-27T11:0${String(n)}:00.000Z`,
        tenders,
        `refund-v${String(version)}-${String(n)}`,
      ),
      takenOffline: n === 2,
      staffId: null,
      approvedBy: null,
    };
    const { staffId: _s, approvedBy: _a, ...old } = current;
    return { old, current };
  });
}

/** The catalogue as the server holds it now, and as a terminal pulled it at `version`. */
export function productsAt(version: number): Migrates<Product>[] {
  const serverNow: Product[] = [
    {
      id: 'prod-gift-25',
      storeId: 'store-1',
      name: 'Gift card €25',
      description: 'Spend it in any of our shops.',
      kind: 'gift_card',
      price: 2500,
      currency: 'EUR',
      active: true,
      template: {
        kind: 'gift_card',
        initialBalance: 2500,
        currency: 'EUR',
        onboarding: [],
        validity: { kind: 'days', days: 365 },
        fulfilment: { action: 'none' },
      },
      barcode: '4006381333931',
      taxClass: null,
      updatedAt: '2026-11-26T09:00:00.000Z',
    },
    {
      id: 'prod-spa',
      storeId: 'store-1',
      name: 'Spa voucher',
      description: 'One afternoon at the spa.',
      kind: 'voucher',
      price: 4950,
      currency: 'EUR',
      active: true,
      template: TEMPLATES.voucher,
      barcode: 'SPA-0001',
      taxClass: VAT_20,
      updatedAt: '2026-11-26T09:00:00.000Z',
    },
  ];
  return serverNow.map((current) => {
    const { template, barcode: _b, taxClass: _t, ...v0 } = current;
    return { old: version === 0 ? v0 : { ...v0, template }, current };
  });
}

/** The open cart: plain lines at v0, a gift on a line from v1, discounts and a card payment at v2. */
export function cartAt(version: number): CartDoc {
  const gift =
    version >= 1 ? { gift: { recipientEmail: 'ana@example.com', message: 'Enjoy!' } } : {};
  return {
    id: OPEN_CART_ID,
    lines: [
      { productId: 'prod-gift-25', quantity: 2, ...gift },
      {
        productId: 'prod-spa',
        quantity: 1,
        ...(version >= 2 ? { discount: { kind: 'percent', milliPercent: 10_000 } } : {}),
      },
    ],
    ...(version >= 2
      ? {
          cartDiscount: { kind: 'amount', amount: 200 },
          cardPayments: [
            { method: 'card', amount: 1000, paymentIntentId: 'pi_3Cart', partial: true },
          ],
        }
      : {}),
    pendingSaleId: 'sale-pending-1',
    updatedAt: '2026-11-26T10:00:00.000Z',
  };
}
