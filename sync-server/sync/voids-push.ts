import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../deps.ts';
import { checkVoid, storeVoid } from '../voids/store-void.ts';
import { factPushRoute } from './push-facts.ts';
import { reversalStaffRefusal } from './staff-refs.ts';

/** POST /api/v1/sync/voids/push: the same request and answer as the sales push. */
export function voidsPushRoutes(app: FastifyInstance, ctx: AppContext): void {
  factPushRoute(
    app,
    ctx,
    { plural: 'voids', singular: 'void' },
    (terminal) => async (document, row) => {
      const checked = checkVoid(document);
      if (!checked.ok) return { kind: 'rejected', reason: checked.reason };
      const { saleVoid } = checked;
      const staffProblem = await reversalStaffRefusal(ctx.db, saleVoid, 'void');
      if (staffProblem) return { kind: 'rejected', reason: staffProblem };
      const outcome = await storeVoid(ctx.db, saleVoid, ctx);
      switch (outcome.kind) {
        case 'written':
          return { kind: 'written' };
        case 'already-voided':
          // Not an error: the sale stays voided by the first void; the log keeps the second.
          row.log.info(
            { terminalId: terminal.id, voidId: row.id, firstVoidId: outcome.firstVoidId },
            'sale already voided; second void changes nothing',
          );
          return { kind: 'kept' };
        case 'duplicate':
          return { kind: 'kept' };
        case 'rejected':
          return outcome;
      }
    },
  );
}
