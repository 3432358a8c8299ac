import { createSecretKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { AppContext } from '../deps.ts';
import { codeKeyContext } from '../enrol/enrol-terminal.ts';
import { unseal } from '../keys/seal.ts';
import { checkSale, writeSales } from './accept-sale.ts';
import { factPushRoute } from './push-facts.ts';

/**
 * POST /api/v1/sync/sales/push: sales, with every code checked against the terminal's key, then
 * the batch written in one transaction (push-facts.ts storeBatch, accept-sale.ts writeSales).
 */
export function pushRoutes(app: FastifyInstance, ctx: AppContext): void {
  factPushRoute<Sale>(app, ctx, { plural: 'sales', singular: 'sale' }, (terminal) => {
    // One KeyObject per request: making it for each sale was ~4 % of a push's CPU.
    const codeKey = createSecretKey(
      unseal(ctx.masterKey, terminal.codeKeyEnc, codeKeyContext(terminal.id)),
    );
    return {
      check: (document) => {
        const checked = checkSale(document, terminal, codeKey);
        return Promise.resolve(checked.ok ? { ok: true, value: checked.sale } : checked);
      },
      write: async (trx, rows) =>
        (
          await writeSales(
            trx,
            rows.map((row) => row.value),
            ctx,
          )
        ).map((outcome) => (outcome.kind === 'duplicate' ? { kind: 'kept' } : outcome)),
    };
  });
}
