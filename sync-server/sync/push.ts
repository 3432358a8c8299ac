import type { FastifyInstance } from 'fastify';
import { PushRequest, type PushResponse } from '../../shared/schemas/protocol.ts';
import { requireTerminal, type AuthenticatedTerminal } from '../auth/terminal-auth.ts';
import type { AppContext } from '../deps.ts';
import { codeKeyContext } from '../enrol/enrol-terminal.ts';
import { HttpError, parseOr400 } from '../http/errors.ts';
import { unseal } from '../keys/seal.ts';
import { checkSale, storeSale } from './accept-sale.ts';

type Row = { newDocumentState: unknown };

function field(document: unknown, name: string): unknown {
  return typeof document === 'object' && document !== null
    ? (document as Record<string, unknown>)[name]
    : undefined;
}

/**
 * A row claiming another store or another terminal is not a bad sale, it is a client pushing
 * with the wrong identity: the whole request is refused and nothing is written.
 */
function scopeRefusal(rows: readonly Row[], terminal: AuthenticatedTerminal): HttpError | null {
  const storeIds = rows.map((row) => field(row.newDocumentState, 'storeId'));
  if (storeIds.some((id) => id !== undefined && id !== terminal.storeId)) {
    return new HttpError(
      403,
      'wrong_store',
      "This push holds sales of another store. Nothing was saved; check the terminal's enrolment.",
    );
  }
  const terminalIds = rows.map((row) => field(row.newDocumentState, 'terminalId'));
  if (terminalIds.some((id) => id !== undefined && id !== terminal.id)) {
    return new HttpError(
      403,
      'wrong_terminal',
      'This push holds sales of another terminal. Nothing was saved; each terminal pushes its own sales.',
    );
  }
  return null;
}

function rowId(document: unknown, index: number): string {
  const id = field(document, 'id');
  return typeof id === 'string' ? id : `#${index}`;
}

export function pushRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/sales/push', async (request): Promise<PushResponse> => {
    const terminal = requireTerminal(request);
    const { rows } = parseOr400(PushRequest, request.body, 'push request');
    const refusal = scopeRefusal(rows, terminal);
    if (refusal) throw refusal;
    const codeKey = unseal(ctx.masterKey, terminal.codeKeyEnc, codeKeyContext(terminal.id));
    const response: PushResponse = { accepted: [], rejected: [] };
    let wrote = false;
    // Each row on its own: one bad sale must not keep the good ones of its batch off the server.
    for (const [index, row] of rows.entries()) {
      const id = rowId(row.newDocumentState, index);
      const checked = await checkSale(row.newDocumentState, terminal, codeKey);
      const outcome = checked.ok
        ? await storeSale(ctx.db, checked.sale, ctx)
        : ({ kind: 'rejected', reason: checked.reason } as const);
      if (outcome.kind === 'rejected') {
        // A refused sale is a bug or an attack (DESIGN invariant 2): report it, never merge it.
        request.log.warn(
          { terminalId: terminal.id, saleId: id, reason: outcome.reason },
          'sale refused',
        );
        response.rejected.push({ id, reason: outcome.reason });
        continue;
      }
      wrote ||= outcome.kind === 'written';
      response.accepted.push(id);
    }
    if (wrote) ctx.notifier.publish(terminal.storeId, ['entitlements']);
    return response;
  });
}
