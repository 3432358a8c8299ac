import type { Observable } from 'rxjs';
import { map, of, switchMap } from 'rxjs';
import type { Product } from '../../shared/schemas/product.ts';
import type { EntitleDatabase } from '../data/database.ts';
import type { CartDoc } from '../data/local-schemas.ts';
import { OPEN_CART_ID } from '../data/local-schemas.ts';

export function activeProducts$(db: EntitleDatabase): Observable<Product[]> {
  return db.products
    .find({ selector: { active: true }, sort: [{ name: 'asc' }] })
    .$.pipe(map((docs) => docs.map((doc) => doc.toMutableJSON())));
}

export function openCart$(db: EntitleDatabase): Observable<CartDoc['lines']> {
  return db.carts.findOne(OPEN_CART_ID).$.pipe(map((doc) => doc?.toMutableJSON().lines ?? []));
}

/** The whole open cart: lines, discounts, the card payments already captured on it. */
export function openCartDoc$(db: EntitleDatabase): Observable<CartDoc | null> {
  return db.carts.findOne(OPEN_CART_ID).$.pipe(map((doc) => doc?.toMutableJSON() ?? null));
}

/**
 * The open cart and the active products its lines name. Only those: the cart is on screen (and
 * published to the customer display) all the time, sign-in screen included, and watching the
 * whole catalogue re-read and copied every product after every pulled batch of a first sync
 * (issue #7). A product that is gone or inactive is simply missing, as from activeProducts$.
 */
export function openCartWithProducts$(
  db: EntitleDatabase,
): Observable<{ readonly cart: CartDoc | null; readonly products: Product[] }> {
  return openCartDoc$(db).pipe(
    switchMap((cart) => {
      const ids = [...new Set(cart?.lines.map((line) => line.productId) ?? [])];
      if (ids.length === 0) return of({ cart, products: [] });
      return db.products
        .find({ selector: { id: { $in: ids }, active: true } })
        .$.pipe(map((docs) => ({ cart, products: docs.map((doc) => doc.toMutableJSON()) })));
    }),
  );
}

/**
 * The catalogue with each product's search text lower-cased once (name, description, kind), so a
 * keystroke only compares strings: lower-casing 20,000 products on every key cost more than a
 * frame (issue #7, catalogue search).
 */
export type ProductSearchIndex = {
  readonly products: readonly Product[];
  readonly haystacks: readonly string[];
};

export function indexProducts(products: readonly Product[]): ProductSearchIndex {
  return {
    products,
    haystacks: products.map((product) =>
      `${product.name} ${product.description} ${product.kind.replace('_', ' ')}`.toLowerCase(),
    ),
  };
}

/** Matches every word the cashier typed against the name, description and kind, in any order. */
export function searchIndex(index: ProductSearchIndex, text: string): Product[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...index.products];
  const found: Product[] = [];
  index.haystacks.forEach((haystack, position) => {
    const product = index.products[position];
    if (product && words.every((word) => haystack.includes(word))) found.push(product);
  });
  return found;
}

/** searchIndex over a catalogue not indexed yet. */
export function searchProducts(products: readonly Product[], text: string): Product[] {
  return searchIndex(indexProducts(products), text);
}

/**
 * Tiles the grid draws a page. A grid of a 20,000-product catalogue took seconds to draw and every
 * keystroke redrew thousands of buttons nobody scrolls through (issue #7, catalogue search): the
 * cashier narrows the search instead, and the grid says how many are not shown. A page is about
 * what fits on a 1280x800 till (4 columns, 5 rows and part of a sixth): each tile drawn costs
 * script, style, layout and paint on every keystroke that changes it, 60 tiles took a keystroke
 * past a frame. "Show more" adds a page, for the search the cashier cannot narrow further.
 */
export const TILES_PER_PAGE = 24;

/** The products the grid draws on `pages` pages, and how many more matched. */
export function tilesOf(
  products: readonly Product[],
  pages = 1,
  perPage = TILES_PER_PAGE,
): { readonly tiles: readonly Product[]; readonly hidden: number } {
  const max = Math.max(1, pages) * perPage;
  return { tiles: products.slice(0, max), hidden: Math.max(0, products.length - max) };
}

/** The pages the cashier asked for ("Show more"), and the result list they were asked for on. */
export type Paging = { readonly of: readonly Product[] | null; readonly pages: number };

/** Pages to draw of `products`: a new search (a new result list) starts at the first page again. */
export function pagesShown(paging: Paging, products: readonly Product[]): number {
  return paging.of === products ? paging.pages : 1;
}
