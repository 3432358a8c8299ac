import type { Sale } from '../../shared/schemas/sale.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';

/** A sale this window has just stored, with the templates of what it sold. */
export type FreshSale = {
  readonly sale: Sale;
  readonly templates: ReadonlyMap<string, ProductTemplate | null>;
};

let latest: FreshSale | null = null;

/**
 * Hands the sale just stored to its receipt, so the receipt shows it at once instead of reading
 * it back first. Only the sale is in memory, never anything it depends on that could change
 * before the receipt shows: its codes' statuses (a fresh sale's are all 'issued' until the server
 * says otherwise), its void and refunds come from the receipt's queries, which take over as soon
 * as they answer. Only the latest sale is kept.
 */
export function handOverFreshSale(fresh: FreshSale): void {
  latest = fresh;
}

/** The sale handed over for `saleId`, if it is the latest one; otherwise the receipt reads it. */
export function freshSaleFor(saleId: string): FreshSale | null {
  return latest?.sale.id === saleId ? latest : null;
}
