import { z } from 'zod';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { OutboxHandler } from '../outbox/worker.ts';
import { paragraphEmail } from './email-document.ts';
import type { Mailer } from './mailer.ts';

/** Tells a customer how their provisional claim ended: confirmed, or cancelled and why. */
export const PROVISIONAL_CLAIM_EMAIL = 'provisional-claim-email';

const Payload = z.object({ code: z.string().min(1) });

/**
 * Call in the transaction that activates or cancels the claim. A claim ends once, so one key
 * per code: a sale pushed twice, or a sweep run twice, owes one e-mail.
 */
export async function enqueueProvisionalClaimEmail(
  trx: DbOrTrx,
  code: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  await enqueue(
    trx,
    {
      kind: PROVISIONAL_CLAIM_EMAIL,
      idempotencyKey: `${PROVISIONAL_CLAIM_EMAIL}:${code}`,
      payload: { code },
    },
    deps,
  );
}

/** Reads the claim as it is now; a claim still waiting owes nothing yet. */
export function provisionalClaimEmailHandler(deps: {
  readonly db: Db;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
}): OutboxHandler {
  return async (delivery) => {
    const { code } = Payload.parse(delivery.payload);
    const claim = await deps.db
      .selectFrom('provisional_claims')
      .innerJoin('accounts', 'accounts.id', 'provisional_claims.account_id')
      .innerJoin('stores', 'stores.id', 'provisional_claims.store_id')
      .select([
        'provisional_claims.state',
        'provisional_claims.reason',
        'accounts.email',
        'stores.name as store_name',
      ])
      .where('provisional_claims.code', '=', code)
      .executeTakeFirst();
    if (!claim || claim.state === 'waiting') return;
    const shown = formatCode(code);
    const account = `${deps.publicUrl()}/account`;
    const content =
      claim.state === 'activated'
        ? paragraphEmail(`Your code ${shown} is confirmed`, [
            `${claim.store_name} has sent us the sale of code ${shown}: it is now claimed to your account.`,
            `See it on your account: ${account}`,
          ])
        : paragraphEmail(`Your claim on code ${shown} was cancelled`, [
            `We cancelled your claim on code ${shown} from ${claim.store_name}: ${claim.reason ?? 'the sale did not arrive'}.`,
            'Ask the shop about your purchase; keep your receipt.',
          ]);
    await deps.mailer.send({ to: claim.email, messageId: delivery.idempotencyKey, ...content });
  };
}
