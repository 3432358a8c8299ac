import { describe, expect, it } from 'vitest';
import { testProduct } from '../checkout/test-fixtures.ts';
import { searchProducts } from './queries.ts';

const products = [
  testProduct('a', 2500, { name: 'Gift card €25', kind: 'gift_card' }),
  testProduct('b', 8900, { name: 'Diagnostic test voucher', description: 'PCR kit' }),
  testProduct('c', 4500, { name: 'Concert ticket', kind: 'ticket' }),
];

describe('product search', () => {
  it('returns everything for an empty search', () => {
    expect(searchProducts(products, '  ')).toHaveLength(3);
  });

  it('matches every word, in any order, case-insensitively, including description and kind', () => {
    expect(searchProducts(products, 'CARD gift').map((p) => p.id)).toEqual(['a']);
    expect(searchProducts(products, 'pcr').map((p) => p.id)).toEqual(['b']);
    expect(searchProducts(products, 'ticket').map((p) => p.id)).toEqual(['c']);
    expect(searchProducts(products, 'gift ticket')).toEqual([]);
  });
});
