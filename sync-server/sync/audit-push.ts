import type { FastifyInstance } from 'fastify';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import { checkAuditEvent, writeAuditEvents } from '../audit/store-audit-event.ts';
import type { AppContext } from '../deps.ts';
import { factPushRoute } from './push-facts.ts';

/**
 * POST /api/v1/sync/audit/push: a terminal's hash-chained audit events (with its shift and
 * drawer events), the same request and answer as the sales push, the batch written in one
 * transaction. Nothing pulled changes, so nothing is published; a chain that breaks is logged
 * for the manager, once per push.
 */
export function auditPushRoutes(app: FastifyInstance, ctx: AppContext): void {
  factPushRoute<AuditEvent>(
    app,
    ctx,
    { plural: 'audit events', singular: 'audit event', path: 'audit', changesStatuses: false },
    (terminal) => ({
      check: (document) => {
        const checked = checkAuditEvent(document);
        return Promise.resolve(checked.ok ? { ok: true, value: checked.event } : checked);
      },
      write: async (trx, rows, log) => {
        const outcomes = await writeAuditEvents(
          trx,
          rows.map((row) => row.value),
          ctx,
        );
        const broken = outcomes.findIndex(
          (outcome) => outcome.kind === 'written' && outcome.status.status === 'broken',
        );
        const brokenOutcome = outcomes[broken];
        if (brokenOutcome?.kind === 'written') {
          log.warn(
            {
              terminalId: terminal.id,
              eventId: rows[broken]?.id,
              problem: brokenOutcome.status.problems[0],
            },
            'audit chain broken',
          );
        }
        return outcomes.map((outcome) =>
          outcome.kind === 'duplicate'
            ? { kind: 'kept' }
            : outcome.kind === 'rejected'
              ? outcome
              : { kind: 'written' },
        );
      },
    }),
  );
}
