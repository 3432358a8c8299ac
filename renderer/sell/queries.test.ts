import { describe, expect, it } from 'vitest';
import { testProduct } from '../checkout/test-fixtures.ts';
import {
  TILES_PER_PAGE,
  indexProducts,
  pagesShown,
  searchIndex,
  searchProducts,
  tilesOf,
} from './queries.ts';

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

  it('draws a page of TILES_PER_PAGE tiles and counts the rest', () => {
    expect(tilesOf(catalogue).tiles).toHaveLength(TILES_PER_PAGE);
    expect(tilesOf(catalogue).tiles).toEqual(catalogue.slice(0, TILES_PER_PAGE));
    expect(tilesOf(catalogue).hidden).toBe(500 - TILES_PER_PAGE);
    expect(tilesOf(catalogue.slice(0, 3))).toEqual({ tiles: catalogue.slice(0, 3), hidden: 0 });
  });

  it('draws one more page for each "Show more"', () => {
    expect(tilesOf(catalogue, 2).tiles).toEqual(catalogue.slice(0, 2 * TILES_PER_PAGE));
    expect(tilesOf(catalogue, 2).hidden).toBe(500 - 2 * TILES_PER_PAGE);
    expect(tilesOf(catalogue, 100)).toEqual({ tiles: catalogue, hidden: 0 });
    expect(tilesOf(catalogue, 0).tiles).toHaveLength(TILES_PER_PAGE);
  });

  it('keeps the pages shown for the same results and starts a new search at the first page', () => {
    const results = searchProducts(catalogue, 'spa');
    expect(pagesShown({ of: results, pages: 3 }, results)).toBe(3);
    expect(pagesShown({ of: results, pages: 3 }, searchProducts(catalogue, 'spa 1'))).toBe(1);
  });
});
