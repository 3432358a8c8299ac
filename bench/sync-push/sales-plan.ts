/**
 * The offline sales of the sync-push benchmark, drawn from a fixed seed so every run (and every
 * engine in a run) sells the same carts: 1-3 lines of the demo catalogue, 1-3 units (codes) each.
 */
import { seededRandom } from '../../test/faults/seeded.ts';

/** Demo products that need nothing at the counter but a tap (no gift form, no card). */
export const PLAN_PRODUCTS = [
  'prod-gift-25',
  'prod-gift-50',
  'prod-pcr-test',
  'prod-winter-gala',
  'prod-flu-vaccine',
] as const;

export type PlannedLine = { readonly productId: string; readonly quantity: number };
export type PlannedSale = { readonly id: string; readonly lines: readonly PlannedLine[] };

/** A UUID-shaped id from the generator, so the sales' ids look like the counter's. */
function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

export function planSales(count: number, seed = 7): PlannedSale[] {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  return Array.from({ length: count }, () => {
    const products = [...PLAN_PRODUCTS];
    const lines: PlannedLine[] = [];
    const lineCount = 1 + pick(3);
    for (let i = 0; i < lineCount; i++) {
      const [productId] = products.splice(pick(products.length), 1);
      lines.push({ productId: productId ?? PLAN_PRODUCTS[0], quantity: 1 + pick(3) });
    }
    return { id: uuidFrom(random), lines };
  });
}

/** How many codes the plan issues (one per unit). */
export function plannedCodes(plan: readonly PlannedSale[]): number {
  return plan.reduce(
    (sum, sale) => sum + sale.lines.reduce((lines, line) => lines + line.quantity, 0),
    0,
  );
}
