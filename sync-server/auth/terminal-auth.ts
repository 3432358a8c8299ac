import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  MIN_SUPPORTED_PROTOCOL_VERSION,
  PENDING_HEADER,
  PROTOCOL_HEADER,
} from '../../shared/schemas/protocol.ts';
import type { AppContext } from '../deps.ts';
import { HttpError } from '../http/errors.ts';
import { hashSecret } from '../keys/secrets.ts';

export type AuthenticatedTerminal = {
  readonly id: string;
  readonly storeId: string;
  readonly name: string;
  readonly prefix: string;
  readonly codeKeyEnc: string;
  /** The store's currency: every sale this terminal pushes must be in it. */
  readonly currency: string;
};

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the sync routes' auth hook; null everywhere else. */
    terminal: AuthenticatedTerminal | null;
  }
}

/** last_seen_at is for the dashboard, not for security: one write a minute per terminal is plenty. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

function protocolVersionOf(request: FastifyRequest): number | null {
  const header = request.headers[PROTOCOL_HEADER];
  if (typeof header !== 'string' || !/^\d{1,6}$/.test(header.trim())) return null;
  return Number(header.trim());
}

/** The terminal's own count of documents still to push (PENDING_HEADER); null when absent or odd. */
function reportedPendingOf(request: FastifyRequest): number | null {
  const header = request.headers[PENDING_HEADER];
  if (typeof header !== 'string' || !/^\d{1,7}$/.test(header.trim())) return null;
  return Number(header.trim());
}

function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

const notEnrolled = (): HttpError =>
  new HttpError(
    401,
    'unauthorized',
    'This terminal is not enrolled with this server. Enrol it again with a pairing code.',
  );

/**
 * The hook in front of every /api/v1/sync route: first the protocol version (an old POS must be
 * told to update even before anything else), then the bearer token.
 */
export function authenticateTerminal(ctx: AppContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const version = protocolVersionOf(request);
    if (version === null || version < MIN_SUPPORTED_PROTOCOL_VERSION) {
      throw new HttpError(
        426,
        'upgrade_required',
        'This POS is too old for the server. Update the app; your unsynced sales are kept.',
      );
    }
    const token = bearerToken(request);
    if (token === null) throw notEnrolled();
    const row = await ctx.db
      .selectFrom('terminals')
      .innerJoin('stores', 'stores.id', 'terminals.store_id')
      .select([
        'terminals.id',
        'terminals.store_id',
        'terminals.name',
        'terminals.code_prefix',
        'terminals.code_key_enc',
        'terminals.last_seen_at',
        'terminals.revoked_at',
        'terminals.reported_pending',
        'stores.currency',
      ])
      .where('token_hash', '=', hashSecret(token))
      .executeTakeFirst();
    if (!row) throw notEnrolled();
    if (row.revoked_at !== null) {
      throw new HttpError(
        401,
        'terminal_revoked',
        'This terminal was revoked by a manager. Ask a manager to enrol it again.',
      );
    }
    const now = ctx.clock();
    const lastSeen = row.last_seen_at === null ? 0 : Date.parse(row.last_seen_at);
    const pending = reportedPendingOf(request);
    const pendingChanged = pending !== null && pending !== row.reported_pending;
    if (pendingChanged || now.getTime() - lastSeen >= LAST_SEEN_RESOLUTION_MS) {
      await ctx.db
        .updateTable('terminals')
        .set({
          last_seen_at: now.toISOString(),
          ...(pending === null
            ? {}
            : { reported_pending: pending, reported_pending_at: now.toISOString() }),
        })
        .where('id', '=', row.id)
        .execute();
    }
    request.terminal = {
      id: row.id,
      storeId: row.store_id,
      name: row.name,
      prefix: row.code_prefix,
      codeKeyEnc: row.code_key_enc,
      currency: row.currency,
    };
  };
}

/** The terminal the auth hook found; a route outside the hook's scope is a programming error. */
export function requireTerminal(request: FastifyRequest): AuthenticatedTerminal {
  if (request.terminal === null) throw new Error('Route is missing the terminal auth hook.');
  return request.terminal;
}
