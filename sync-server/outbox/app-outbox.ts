import { BUYER_ACCOUNT, buyerAccountHandler } from '../accounts/buyer-account.ts';
import type { Db } from '../db/schema.ts';
import type { Clock, RandomBytes } from '../deps.ts';
import { ASSIGNMENT_EMAIL, assignmentEmailHandler } from '../mail/assignment-email.ts';
import { GIFT_EMAIL, giftEmailHandler } from '../mail/gift-email.ts';
import { MAGIC_LINK_EMAIL, magicLinkEmailHandler } from '../mail/magic-link-email.ts';
import {
  ONBOARDING_CONFIRMATION_EMAIL,
  onboardingConfirmationHandler,
} from '../mail/onboarding-confirmation-email.ts';
import { SEAT_ASSIGNED_EMAIL, seatAssignedEmailHandler } from '../mail/seat-assigned-email.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { PaymentGateway } from '../payments/gateway.ts';
import { CARD_REFUND, cardRefundHandler } from '../refunds/card-refund-job.ts';
import {
  PROVISIONAL_CLAIM_EMAIL,
  provisionalClaimEmailHandler,
} from '../mail/provisional-claim-email.ts';
import {
  PROVISIONAL_LINK_EMAIL,
  provisionalLinkEmailHandler,
} from '../mail/provisional-link-email.ts';
import { SALE_CODES_EMAIL, saleCodesEmailHandler } from '../mail/sale-codes-email.ts';
import { TRANSFER_EMAIL, transferEmailHandler } from '../mail/transfer-email.ts';
import { VOID_NOTICE_EMAIL, voidNoticeHandler } from '../mail/void-notice-email.ts';
import { tellStatusOwner, type ChangeNotifier } from '../sync/change-notifier.ts';
import { FULFILMENT_WEBHOOK, fulfilmentWebhookHandler } from './fulfilment-webhook.ts';
import { createOutboxWorker, type OutboxLogger, type OutboxWorker } from './worker.ts';

/** Every kind of side effect this server delivers, and who delivers it. */
export function createAppOutbox(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  /** Opens the sealed tokens of magic-link e-mails. */
  readonly masterKey: Uint8Array;
  readonly mailer: Mailer;
  /** The same function the routes use (AppContext.publicUrl). */
  readonly publicUrl: () => string;
  readonly logger: OutboxLogger;
  /** Calls fulfilment webhooks; tests pass a fake. Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Tells terminals about codes a job changed (a webhook that activated a code). */
  readonly notifier?: ChangeNotifier;
  /** Refunds cards for refunds taken offline; absent: those jobs wait and retry. */
  readonly payments?: PaymentGateway | null;
  readonly pollMs?: number;
}): OutboxWorker {
  return createOutboxWorker({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    handlers: {
      [SALE_CODES_EMAIL]: saleCodesEmailHandler(deps),
      [BUYER_ACCOUNT]: buyerAccountHandler(deps),
      [MAGIC_LINK_EMAIL]: magicLinkEmailHandler(deps),
      [PROVISIONAL_LINK_EMAIL]: provisionalLinkEmailHandler(deps),
      [PROVISIONAL_CLAIM_EMAIL]: provisionalClaimEmailHandler(deps),
      [ONBOARDING_CONFIRMATION_EMAIL]: onboardingConfirmationHandler(deps),
      [SEAT_ASSIGNED_EMAIL]: seatAssignedEmailHandler(deps),
      [FULFILMENT_WEBHOOK]: fulfilmentWebhookHandler({
        ...deps,
        fetch: deps.fetch ?? fetch,
        onActivated: (owner) => {
          if (deps.notifier) tellStatusOwner(deps.notifier, owner);
        },
      }),
      [GIFT_EMAIL]: giftEmailHandler(deps),
      [ASSIGNMENT_EMAIL]: assignmentEmailHandler(deps),
      [TRANSFER_EMAIL]: transferEmailHandler(deps),
      [VOID_NOTICE_EMAIL]: voidNoticeHandler(deps),
      [CARD_REFUND]: cardRefundHandler(deps),
    },
    ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
  });
}
