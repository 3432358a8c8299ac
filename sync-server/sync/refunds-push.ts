import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../deps.ts';
import { checkRefund, storeRefund } from '../refunds/store-refund.ts';
import { factPushRoute } from './push-facts.ts';
import { reversalStaffRefusal } from './staff-refs.ts';

/** POST /api/v1/sync/refunds/push: the same request and answer as the sales and voids push. */
export function refundsPushRoutes(app: FastifyInstance, ctx: AppContext): void {
  factPushRoute(
    app,
    ctx,
    { plural: 'refunds', singular: 'refund' },
    (terminal) => async (document, row) => {
      const checked = checkRefund(document);
      if (!checked.ok) return { kind: 'rejected', reason: checked.reason };
      const { refund } = checked;
      const staffProblem = await reversalStaffRefusal(ctx.db, refund, 'refund');
      if (staffProblem) return { kind: 'rejected', reason: staffProblem };
      const outcome = await storeRefund(ctx.db, refund, ctx);
      if (outcome.kind === 'written' && outcome.flag !== null) {
        row.log.warn(
          { terminalId: terminal.id, refundId: row.id, flag: outcome.flag },
          'refund flagged for the manager',
        );
      }
      return outcome.kind === 'duplicate'
        ? { kind: 'kept' }
        : outcome.kind === 'written'
          ? { kind: 'written' }
          : outcome;
    },
  );
}
