import type { FastifyInstance } from 'fastify';
import { checkAuditEvent, storeAuditEvent } from '../audit/store-audit-event.ts';
import type { AppContext } from '../deps.ts';
import { factPushRoute } from './push-facts.ts';

/**
 * POST /api/v1/sync/audit/push: a terminal's hash-chained audit events (with its shift and
 * drawer events), the same request and answer as the sales push. Nothing pulled changes, so
 * nothing is published; a chain that breaks is logged for the manager.
 */
export function auditPushRoutes(app: FastifyInstance, ctx: AppContext): void {
  factPushRoute(
    app,
    ctx,
    { plural: 'audit events', singular: 'audit event', path: 'audit', publishes: [] },
    (terminal) => async (document, row) => {
      const checked = await checkAuditEvent(document);
      if (!checked.ok) return { kind: 'rejected', reason: checked.reason };
      const outcome = await storeAuditEvent(ctx.db, checked.event, ctx);
      if (outcome.kind === 'duplicate') return { kind: 'kept' };
      if (outcome.kind === 'rejected') return outcome;
      if (outcome.status.status === 'broken') {
        row.log.warn(
          { terminalId: terminal.id, eventId: row.id, problem: outcome.status.problems[0] },
          'audit chain broken',
        );
      }
      return { kind: 'written' };
    },
  );
}
