import type { Observable } from 'rxjs';
import { map } from 'rxjs';
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

/** Matches every word the cashier typed against the name, description and kind, in any order. */
export function searchProducts(products: readonly Product[], text: string): Product[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...products];
  return products.filter((product) => {
    const haystack =
      `${product.name} ${product.description} ${product.kind.replace('_', ' ')}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
