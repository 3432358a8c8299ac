import type { Transaction } from 'kysely';
import { z } from 'zod';
import { SeatAssignment } from '../../shared/templates/licence.ts';
import type { Database } from '../db/schema.ts';
import { templateOf } from '../templates/templates.ts';
import { onboardClaimed, type OnboardDeps } from './activate.ts';
import type { Submission } from './submission.ts';

/**
 * What a holder registered before the sale arrived, in provisional_claims.onboarding. The code
 * alone does not say what was sold, so the holder picks the product; the values are used only
 * if the sale says the same product, otherwise the holder fills the real form afterwards.
 */
export const StoredProvisionalOnboarding = z.object({
  productId: z.string().min(1),
  values: z.record(z.string(), z.string()),
  seats: z.array(SeatAssignment).nullable(),
});
export type StoredProvisionalOnboarding = z.infer<typeof StoredProvisionalOnboarding>;

export function storedProvisionalOnboarding(
  text: string | null,
): StoredProvisionalOnboarding | null {
  if (text === null) return null;
  const parsed = StoredProvisionalOnboarding.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export const REGISTERED_BEFORE_SALE = 'registered before the sale arrived';

/**
 * Call right after a provisional claim became an ordinary claim (the code is `claimed`):
 * onboards it with the stored values when the product matches. Returns true if it did.
 * Signing a licence file needs the master key; without it a licence stays claimed and the
 * holder re-sends the prefilled seats form.
 */
export async function onboardFromProvisional(
  trx: Transaction<Database>,
  code: string,
  stored: StoredProvisionalOnboarding,
  deps: OnboardDeps,
): Promise<boolean> {
  const row = await trx
    .selectFrom('entitlements')
    .select('product_id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  if (row.product_id !== stored.productId) return false;
  const template = await templateOf(trx, row.product_id);
  if (!template) return false;
  const submission: Submission = { values: stored.values, seats: stored.seats };
  const storeId = await onboardClaimed(
    trx,
    { code, template, submission, actor: 'system', reason: REGISTERED_BEFORE_SALE },
    deps,
  );
  return storeId !== null;
}
