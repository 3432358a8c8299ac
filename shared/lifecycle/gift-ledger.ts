import { z } from 'zod';
import { MinorUnits } from '../money.ts';

/**
 * A gift card's money is a ledger, never a counter: the balance is the sum of the entries, so
 * a replayed or audited card always agrees with its history, and no update can be lost.
 */
const Amount = MinorUnits.min(1);
export const LedgerEntry = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('issue'), amount: Amount }),
  z.strictObject({ kind: z.literal('spend'), amount: Amount }),
  z.strictObject({ kind: z.literal('refund'), amount: Amount }),
]);
export type LedgerEntry = z.infer<typeof LedgerEntry>;
export type Ledger = readonly LedgerEntry[];

export type LedgerResult =
  { readonly ok: true; readonly ledger: Ledger } | { readonly ok: false; readonly reason: string };

function signed(entry: LedgerEntry): number {
  return entry.kind === 'spend' ? -entry.amount : entry.amount;
}

export function balanceOf(ledger: Ledger): MinorUnits {
  return ledger.reduce((sum, entry) => sum + signed(entry), 0);
}

/** What has been spent and not refunded: the most a refund may give back. */
export function refundableOf(ledger: Ledger): MinorUnits {
  return ledger.reduce(
    (sum, e) => sum + (e.kind === 'spend' ? e.amount : e.kind === 'refund' ? -e.amount : 0),
    0,
  );
}

function isPositiveAmount(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount > 0;
}

export function issueLedger(initialBalance: MinorUnits): Ledger {
  return [{ kind: 'issue', amount: initialBalance }];
}

export function spend(ledger: Ledger, amount: number): LedgerResult {
  if (!isPositiveAmount(amount))
    return { ok: false, reason: 'An amount to spend is a whole number of minor units above zero.' };
  const balance = balanceOf(ledger);
  if (amount > balance)
    return { ok: false, reason: `The card holds ${balance}; ${amount} is more than that.` };
  return { ok: true, ledger: [...ledger, { kind: 'spend', amount }] };
}

/** Gives back part of what was spent (a returned purchase); never more, so no money is minted. */
export function refund(ledger: Ledger, amount: number): LedgerResult {
  if (!isPositiveAmount(amount))
    return {
      ok: false,
      reason: 'An amount to refund is a whole number of minor units above zero.',
    };
  const refundable = refundableOf(ledger);
  if (amount > refundable)
    return {
      ok: false,
      reason: `Only ${refundable} was spent from this card; ${amount} cannot be refunded.`,
    };
  return { ok: true, ledger: [...ledger, { kind: 'refund', amount }] };
}
