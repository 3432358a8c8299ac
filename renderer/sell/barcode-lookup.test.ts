import { describe, expect, it } from 'vitest';
import type { Product } from '../../shared/schemas/product.ts';
import { lookUpBarcode } from './barcode-lookup.ts';

function product(id: string, barcode: string | null): Product {
  return {
    id,
    storeId: 'store_1',
    name: `Product ${id}`,
    description: '',
    kind: 'voucher',
    price: 1000,
    currency: 'EUR',
    active: true,
    barcode,
    taxClass: null,
    template: null,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('lookUpBarcode', () => {
  const products = [
    product('a', '2000000045009'),
    product('b', null),
    product('c', '4006381333931'),
  ];

  it('refuses an unknown code with a message that says what to do', () => {
    expect(lookUpBarcode(products, '2000000000000')).toEqual({
      kind: 'unknown',
      message: 'No product has barcode 2000000000000. Check the item, or search by name.',
    });
  });

  it('does not match a prefix or a product without a barcode', () => {
    expect(lookUpBarcode(products, '200000004500').kind).toBe('unknown');
    expect(lookUpBarcode([product('b', null)], '').kind).toBe('unknown');
  });

  it('finds the product whose barcode is exactly the code', () => {
    const result = lookUpBarcode(products, '4006381333931');
    expect(result.kind === 'found' && result.product.id).toBe('c');
  });
});
