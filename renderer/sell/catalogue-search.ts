import type { Product } from '../../shared/schemas/product.ts';
import type { ProductSearchIndex } from './queries.ts';

/** The products matching what the cashier typed, in catalogue order (searchIndex's rule). */
export type CatalogueSearch = (text: string) => Product[];

/**
 * searchIndex that remembers its last answer: while a query grows (the cashier types on), only
 * the products the shorter query matched are tested again, since typing more characters only
 * lengthens the last word or adds words, and every word of the shorter query stays inside a word
 * of the longer one. A query that is not a continuation (a deleted character, a new search)
 * tests the whole catalogue again. One per catalogue: a changed catalogue needs a new one.
 */
export function createCatalogueSearch(index: ProductSearchIndex): CatalogueSearch {
  let last: { readonly text: string; readonly positions: readonly number[] } | null = null;
  return (text) => {
    const lowered = text.toLowerCase();
    const words = lowered.split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      last = null;
      return [...index.products];
    }
    const narrowing = last !== null && lowered.startsWith(last.text);
    const positions: number[] = [];
    const test = (position: number) => {
      const haystack = index.haystacks[position];
      if (haystack !== undefined && words.every((word) => haystack.includes(word))) {
        positions.push(position);
      }
    };
    if (narrowing && last !== null) {
      for (const position of last.positions) test(position);
    } else {
      for (let position = 0; position < index.haystacks.length; position += 1) test(position);
    }
    last = { text: lowered, positions };
    const found: Product[] = [];
    for (const position of positions) {
      const product = index.products[position];
      if (product !== undefined) found.push(product);
    }
    return found;
  };
}
