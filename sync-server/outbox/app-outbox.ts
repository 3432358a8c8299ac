import type { Db } from '../db/schema.ts';
import type { Clock } from '../deps.ts';
import type { Mailer } from '../mail/mailer.ts';
import { SALE_CODES_EMAIL, saleCodesEmailHandler } from '../mail/sale-codes-email.ts';
import { createOutboxWorker, type OutboxLogger, type OutboxWorker } from './worker.ts';

/** Every kind of side effect this server delivers, and who delivers it. */
export function createAppOutbox(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly mailer: Mailer;
  /** The same function the routes use (AppContext.publicUrl). */
  readonly publicUrl: () => string;
  readonly logger: OutboxLogger;
  readonly pollMs?: number;
}): OutboxWorker {
  return createOutboxWorker({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    handlers: {
      [SALE_CODES_EMAIL]: saleCodesEmailHandler(deps),
    },
    ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
  });
}
