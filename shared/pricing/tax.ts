import { z } from 'zod';
import { MinorUnits } from '../money.ts';
import { DocumentId } from '../schemas/common.ts';
import { formatPercent, MILLI_PERCENT_SCALE, MilliPercent, mulDivRoundHalfUp } from './percent.ts';

/**
 * A tax class as the server defines it (VAT standard, reduced, exempt, a US sales tax...).
 * `inclusive`: shelf prices already contain the tax (EU VAT); otherwise it is added at the till
 * (US sales tax). Products carry a copy, so the counter prices offline; a sale line keeps the
 * copy it was sold under, so a later rate change never rewrites a receipt.
 */
export const TaxClass = z.strictObject({
  id: DocumentId,
  name: z.string().trim().min(1).max(60),
  milliPercent: MilliPercent,
  inclusive: z.boolean(),
});
export type TaxClass = z.infer<typeof TaxClass>;

/** The tax a sale line carries: its class as sold, and its share of that class's tax. */
export const LineTax = TaxClass.extend({ amount: MinorUnits });
export type LineTax = z.infer<typeof LineTax>;

/**
 * Tax on the summed lines of one class, rounded once, half up, to the minor unit (the rounding
 * rule in docs/tax-and-rounding.md). Inclusive: the part of the gross that is tax,
 * gross × r / (100 % + r). Exclusive: net × r, added on top.
 */
export function taxOfClassTotal(base: MinorUnits, taxClass: TaxClass): MinorUnits {
  return taxClass.inclusive
    ? mulDivRoundHalfUp(base, taxClass.milliPercent, MILLI_PERCENT_SCALE + taxClass.milliPercent)
    : mulDivRoundHalfUp(base, taxClass.milliPercent, MILLI_PERCENT_SCALE);
}

export function describeTaxClass(taxClass: TaxClass): string {
  return `${taxClass.name} ${formatPercent(taxClass.milliPercent)}${taxClass.inclusive ? ' incl.' : ''}`;
}

/** Two classes are the same for rounding only if everything that changes the sum is the same. */
export function taxGroupKey(taxClass: TaxClass): string {
  return `${taxClass.id}|${String(taxClass.milliPercent)}|${taxClass.inclusive ? 'i' : 'e'}`;
}
