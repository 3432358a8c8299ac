import type { Product } from '../../shared/schemas/product.ts';

export type ScanResult =
  | { readonly kind: 'found'; readonly product: Product }
  | { readonly kind: 'unknown'; readonly message: string };

/**
 * Finds the scanned product in the catalogue already loaded for the grid (active products only:
 * a withdrawn product is not for sale, whatever its label says). Codes compare exactly; a scanner
 * sends the digits printed under the bars, check digit included.
 */
export function lookUpBarcode(products: readonly Product[], code: string): ScanResult {
  const product = products.find((candidate) => candidate.barcode === code);
  if (product) return { kind: 'found', product };
  return {
    kind: 'unknown',
    message: `No product has barcode ${code}. Check the item, or search by name.`,
  };
}
