import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../deps.ts';
import { codeKeyContext } from '../enrol/enrol-terminal.ts';
import { unseal } from '../keys/seal.ts';
import { checkSale, storeSale } from './accept-sale.ts';
import { factPushRoute } from './push-facts.ts';

/** POST /api/v1/sync/sales/push: sales, with every code checked against the terminal's key. */
export function pushRoutes(app: FastifyInstance, ctx: AppContext): void {
  factPushRoute(app, ctx, { plural: 'sales', singular: 'sale' }, (terminal) => {
    const codeKey = unseal(ctx.masterKey, terminal.codeKeyEnc, codeKeyContext(terminal.id));
    return async (document) => {
      const checked = await checkSale(document, terminal, codeKey);
      if (!checked.ok) return { kind: 'rejected', reason: checked.reason };
      const outcome = await storeSale(ctx.db, checked.sale, ctx);
      return outcome.kind === 'duplicate' ? { kind: 'kept' } : outcome;
    };
  });
}
