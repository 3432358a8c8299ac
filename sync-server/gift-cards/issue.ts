import type { Sale } from '../../shared/schemas/sale.ts';
import type { DbOrTrx } from '../db/schema.ts';
import { insertRows } from '../db/insert-rows.ts';
import { isoNow, newId, type Clock, type RandomBytes } from '../deps.ts';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';

/** The ledger key of a card's one issue entry: UNIQUE, so the card is funded exactly once. */
export const issueKey = (code: string): string => `issue:${code}`;

/**
 * Funds every gift card the sales issued: one 'issue' entry with the template's initial balance
 * per code. Runs inside storeSale's transaction, after the codes are stored, so a sale and its
 * cards' money appear together or not at all; the unique key makes a second call write nothing.
 * A gift card product without a template issues a code with no money: the card API says so (404).
 * The cards of a whole pushed batch are written in one statement (insertRows).
 */
export async function issueGiftCards(
  trx: DbOrTrx,
  sales: readonly {
    readonly sale: Sale;
    /** The templates of the sale's products, as storeSale already read them (templatesOf). */
    readonly templates: ReadonlyMap<string, ProductTemplate>;
  }[],
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  const now = isoNow(deps.clock);
  const rows = sales.flatMap(({ sale, templates }) =>
    sale.lines.flatMap((line) => {
      const template = templates.get(line.productId);
      if (template?.kind !== 'gift_card') return [];
      return line.codes.map((code) => ({
        id: newId('gcl', deps.randomBytes),
        code,
        kind: 'issue' as const,
        amount: template.initialBalance,
        currency: template.currency,
        reference: sale.id,
        actor: `terminal:${sale.terminalId}`,
        idempotency_key: issueKey(code),
        balance_after: template.initialBalance,
        created_at: now,
      }));
    }),
  );
  await insertRows(trx, 'gift_card_ledger', rows, { ignoring: 'idempotency_key' });
}
