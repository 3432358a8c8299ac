import { describe, expect, it } from 'vitest';
import { testProduct } from '../checkout/test-fixtures.ts';
import { MAX_TILES, indexProducts, searchIndex, searchProducts, tilesOf } from './queries.ts';

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

describe('the catalogue search index', () => {
  const catalogue = Array.from({ length: 500 }, (_, index) =>
    testProduct(`p${String(index)}`, 100 + index, {
      name: `${index % 2 === 0 ? 'Spa day' : 'Yoga Class'} ${String(index).padStart(3, '0')}`,
      kind: index % 3 === 0 ? 'gift_card' : 'voucher',
    }),
  );

  it('finds what the unindexed search finds, in catalogue order', () => {
    const index = indexProducts(catalogue);
    for (const text of ['', 'spa', 'YOGA 04', 'gift card 1', 'class spa', '  day  00 ', 'zzz']) {
      expect(searchIndex(index, text).map((p) => p.id)).toEqual(
        catalogue
          .filter((product) => {
            const haystack =
              `${product.name} ${product.description} ${product.kind.replace('_', ' ')}`.toLowerCase();
            return text
              .toLowerCase()
              .split(/\s+/)
              .filter(Boolean)
              .every((word) => haystack.includes(word));
          })
          .map((p) => p.id),
      );
    }
  });

  it('draws at most MAX_TILES tiles and counts the rest', () => {
    expect(tilesOf(catalogue).tiles).toHaveLength(MAX_TILES);
    expect(tilesOf(catalogue).hidden).toBe(500 - MAX_TILES);
    expect(tilesOf(catalogue.slice(0, 3))).toEqual({ tiles: catalogue.slice(0, 3), hidden: 0 });
  });
});
