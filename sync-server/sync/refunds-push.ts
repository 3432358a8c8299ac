import type { FastifyInstance } from 'fastify';
import { PushRequest, type PushResponse } from '../../shared/schemas/protocol.ts';
import { requireTerminal, type AuthenticatedTerminal } from '../auth/terminal-auth.ts';
import type { AppContext } from '../deps.ts';
import { HttpError, parseOr400 } from '../http/errors.ts';
import { checkRefund, storeRefund } from '../refunds/store-refund.ts';

type Row = { newDocumentState: unknown };

function field(document: unknown, name: string): unknown {
  return typeof document === 'object' && document !== null
    ? (document as Record<string, unknown>)[name]
    : undefined;
}

/** As for sales and voids: a row of another store or terminal refuses the whole request. */
function scopeRefusal(rows: readonly Row[], terminal: AuthenticatedTerminal): HttpError | null {
  const outside = (name: string, own: string): boolean =>
    rows.some((row) => {
      const value = field(row.newDocumentState, name);
      return value !== undefined && value !== own;
    });
  if (outside('storeId', terminal.storeId)) {
    return new HttpError(
      403,
      'wrong_store',
      "This push holds refunds of another store. Nothing was saved; check the terminal's enrolment.",
    );
  }
  if (outside('terminalId', terminal.id)) {
    return new HttpError(
      403,
      'wrong_terminal',
      'This push holds refunds of another terminal. Nothing was saved; each terminal pushes its own refunds.',
    );
  }
  return null;
}

/** POST /api/v1/sync/refunds/push: the same request and answer as the sales and voids push. */
export function refundsPushRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/refunds/push', async (request): Promise<PushResponse> => {
    const terminal = requireTerminal(request);
    const { rows } = parseOr400(PushRequest, request.body, 'push request');
    const refusal = scopeRefusal(rows, terminal);
    if (refusal) throw refusal;
    const response: PushResponse = { accepted: [], rejected: [] };
    let wrote = false;
    // Each row on its own: one bad refund must not keep the others off the server.
    for (const [index, row] of rows.entries()) {
      const rawId = field(row.newDocumentState, 'id');
      const id = typeof rawId === 'string' ? rawId : `#${index}`;
      const checked = checkRefund(row.newDocumentState);
      const outcome = checked.ok
        ? await storeRefund(ctx.db, checked.refund, ctx)
        : ({ kind: 'rejected', reason: checked.reason } as const);
      if (outcome.kind === 'rejected') {
        request.log.warn(
          { terminalId: terminal.id, refundId: id, reason: outcome.reason },
          'refund refused',
        );
        response.rejected.push({ id, reason: outcome.reason });
        continue;
      }
      if (outcome.kind === 'written' && outcome.flag !== null) {
        request.log.warn(
          { terminalId: terminal.id, refundId: id, flag: outcome.flag },
          'refund flagged for the manager',
        );
      }
      wrote ||= outcome.kind === 'written';
      response.accepted.push(id);
    }
    if (wrote) ctx.notifier.publish(terminal.storeId, ['entitlements']);
    return response;
  });
}
