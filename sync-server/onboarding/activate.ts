import type { Transaction } from 'kysely';
import type { ProductTemplate } from '../../shared/templates/product-template.ts';
import type { Database } from '../db/schema.ts';
import type { Actor } from '../entitlements/events.ts';
import { transitionEntitlement } from '../entitlements/transition.ts';
import type { LicenceKeyDeps } from '../keys/licence-key.ts';
import { assignSeatsAndIssue } from '../licences/licence-files.ts';
import { enqueueOnboardingConfirmation } from '../mail/onboarding-confirmation-email.ts';
import { enqueueFulfilmentWebhook } from '../outbox/fulfilment-webhook.ts';
import type { Submission } from './submission.ts';
import type { StatusOwner } from '../sync/change-notifier.ts';

export type OnboardDeps = LicenceKeyDeps;

export const ACTIVATED_AT_ONCE = 'nothing to fulfil';
export const ACTIVATED_WITH_LICENCE = 'licence file issued';

/**
 * claimed → onboarded → active, in the caller's transaction: the values are stored, then the
 * template's fulfilment runs — `none` activates at once, `licence-file` stores the seats and
 * issues a signed file first, `webhook` leaves the code onboarded with a job in the outbox that
 * activates it when delivered. Each step is its own guarded transition and event. The holder is
 * e-mailed a confirmation. Returns the store to notify, or null if the code was not claimed
 * (a double submit that lost, a void meanwhile) or is past its validity: then nothing was
 * written.
 */
export async function onboardClaimed(
  trx: Transaction<Database>,
  input: {
    readonly code: string;
    readonly template: ProductTemplate;
    readonly submission: Submission;
    readonly actor: Actor;
    readonly reason: string;
  },
  deps: OnboardDeps,
): Promise<StatusOwner | null> {
  const { code, template, submission, actor } = input;
  // A code past its validity cannot be registered, whatever path gets here (page, late sale).
  const validity = await trx
    .selectFrom('entitlements')
    .select('expires_at')
    .where('code', '=', code)
    .executeTakeFirst();
  const end = validity?.expires_at ?? null;
  if (end !== null && Date.parse(end) <= deps.clock().getTime()) return null;
  const owner = await transitionEntitlement(
    trx,
    {
      code,
      from: 'claimed',
      to: 'onboarded',
      set: (now) => ({ onboarding: JSON.stringify(submission.values), onboarded_at: now }),
      actor,
      reason: input.reason,
    },
    deps,
  );
  if (owner === null) return null;
  // A licence file needs at least one seat; the seats form refuses an empty list.
  if (template.kind === 'licence' && submission.seats !== null && submission.seats.length > 0) {
    await assignSeatsAndIssue(trx, { code, seats: submission.seats, actor }, deps);
  }
  if (template.fulfilment.action === 'webhook') {
    await enqueueFulfilmentWebhook(trx, code, deps);
  } else {
    await transitionEntitlement(
      trx,
      {
        code,
        from: 'onboarded',
        to: 'active',
        set: (now) => ({ activated_at: now }),
        actor: 'system',
        reason: template.kind === 'licence' ? ACTIVATED_WITH_LICENCE : ACTIVATED_AT_ONCE,
      },
      deps,
    );
  }
  await enqueueOnboardingConfirmation(trx, code, deps);
  return owner;
}
