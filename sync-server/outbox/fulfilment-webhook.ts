import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Db, DbOrTrx } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { transitionEntitlement } from '../entitlements/transition.ts';
import { templateOf } from '../templates/templates.ts';
import { enqueue } from './enqueue.ts';
import type { OutboxHandler } from './worker.ts';
import { inTransaction } from '../db/transaction.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';

/**
 * Fulfilment by webhook: once a code is onboarded, the template's https URL is told (code,
 * product, the registered values) and the code becomes active when the receiver answers 2xx.
 * The body is signed with HMAC-SHA256 under a secret derived from the master key, sent as
 * `x-entitle-signature: sha256=<hex>`, so the receiver can tell our calls from anyone's.
 */
export const FULFILMENT_WEBHOOK = 'fulfilment-webhook';
export const SIGNATURE_HEADER = 'x-entitle-signature';
export const ACTIVATED_BY_WEBHOOK = 'fulfilment webhook delivered';

const Payload = z.object({ code: z.string().min(1) });

/** The shared secret of fulfilment webhooks: stable for a master key, never stored. */
export function webhookSecret(masterKey: Uint8Array): Buffer {
  return createHmac('sha256', masterKey).update('entitle:fulfilment-webhook').digest();
}

export function signWebhookBody(secret: Uint8Array, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Call in the transaction that onboards the code. */
export async function enqueueFulfilmentWebhook(
  trx: DbOrTrx,
  code: string,
  deps: { readonly clock: Clock; readonly randomBytes: RandomBytes },
): Promise<void> {
  await enqueue(
    trx,
    {
      kind: FULFILMENT_WEBHOOK,
      idempotencyKey: `${FULFILMENT_WEBHOOK}:${code}`,
      payload: { code },
    },
    deps,
  );
}

/** Throws on a network error or a non-2xx answer, so the worker retries with backoff. */
export function fulfilmentWebhookHandler(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  readonly masterKey: Uint8Array;
  readonly fetch: typeof fetch;
  /** Told the store of a code the webhook activated, to notify its terminals. */
  readonly onActivated?: (owner: StatusOwner) => void;
}): OutboxHandler {
  return async (delivery) => {
    const { code } = Payload.parse(delivery.payload);
    const row = await deps.db
      .selectFrom('entitlements')
      .select(['state', 'product_id', 'product_name', 'onboarding'])
      .where('code', '=', code)
      .executeTakeFirst();
    // Voided or expired meanwhile, or already active: nothing to fulfil any more.
    if (row?.state !== 'onboarded') return;
    const template = await templateOf(deps.db, row.product_id);
    if (template?.fulfilment.action !== 'webhook') return;
    const body = JSON.stringify({
      code,
      product: { id: row.product_id, name: row.product_name },
      values: row.onboarding === null ? {} : (JSON.parse(row.onboarding) as unknown),
    });
    const response = await deps.fetch(template.fulfilment.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhookBody(webhookSecret(deps.masterKey), body),
        'idempotency-key': delivery.idempotencyKey,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new Error(`The fulfilment webhook answered ${String(response.status)}.`);
    }
    const owner = await inTransaction(deps.db, (trx) =>
      transitionEntitlement(
        trx,
        {
          code,
          from: 'onboarded',
          to: 'active',
          set: (now) => ({ activated_at: now }),
          actor: 'system',
          reason: ACTIVATED_BY_WEBHOOK,
        },
        deps,
      ),
    );
    if (owner !== null) deps.onActivated?.(owner);
  };
}
