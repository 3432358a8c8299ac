import { z } from 'zod';
import { parseCode } from '../../../shared/code/entitlement-code.ts';
import { DocumentId } from '../../../shared/schemas/common.ts';

/** A form field left empty is absent, not an empty criterion. */
const optionalText = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

const Day = z.iso.date('Dates are written as YYYY-MM-DD.');

/**
 * What the Sales search and the sales export filter by, from a query string. Dates are calendar
 * days in UTC of the sale's own time (the device clock: what the receipt says), `to` inclusive.
 */
export const SaleFilters = z
  .object({
    receipt: optionalText(
      z
        .string()
        .trim()
        .max(40)
        .transform((text) => text.toUpperCase()),
    ),
    code: optionalText(z.string().trim().max(60)),
    email: optionalText(
      z
        .string()
        .trim()
        .max(254)
        .transform((text) => text.toLowerCase()),
    ),
    from: optionalText(Day),
    to: optionalText(Day),
    staff: optionalText(DocumentId),
    store: optionalText(DocumentId),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, {
    error: 'The start date is after the end date.',
    path: ['to'],
  });
export type SaleFilters = z.infer<typeof SaleFilters>;

/** The first instant of `day` and of the day after it, as stored timestamps compare. */
export function dayRange(from: string | undefined, to: string | undefined) {
  const next = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000);
  return {
    fromIso: from === undefined ? undefined : `${from}T00:00:00.000Z`,
    toIsoExclusive: to === undefined ? undefined : next(to).toISOString(),
  };
}

/** A typed code as the database stores it (case, hyphens, look-alikes forgiven), or the text. */
export function normaliseCodeQuery(text: string): string {
  const parsed = parseCode(text);
  return parsed.ok ? parsed.value.code : text.replace(/[\s-]/g, '').toUpperCase();
}

/** `%`, `_` and the escape itself are literal in a LIKE pattern only when escaped. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
