import { parseMoneyInput } from '../../shared/money.ts';

/** What a typed amount means: empty, not an amount (with the sentence to show), or minor units. */
export type TypedAmount =
  | { readonly kind: 'empty' }
  | { readonly kind: 'bad'; readonly message: string }
  | { readonly kind: 'ok'; readonly amount: number };

export function readAmount(text: string, currency: string): TypedAmount {
  if (text.trim() === '') return { kind: 'empty' };
  const amount = parseMoneyInput(text, currency);
  if (amount === null) return { kind: 'bad', message: 'Type an amount like 100 or 100.00.' };
  return { kind: 'ok', amount };
}
