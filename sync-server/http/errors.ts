import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ApiError } from '../../shared/schemas/protocol.ts';

/** A refusal with a machine-readable code and a sentence a person can act on (DESIGN 8). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body(): ApiError {
    return { error: this.code, message: this.message };
  }
}

/** "lines.0.lineTotal: Line total is not unit price × quantity." — at most three issues. */
export function describeIssues(error: z.ZodError): string {
  const described = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `${described.join('; ')}${more}`;
}

/** Parses with a shared schema or refuses with 400 and what was wrong. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new HttpError(
    400,
    'bad_request',
    `The ${what} is not valid: ${describeIssues(parsed.error)}.`,
  );
}

/** What fastify's own refusals (body too large, not JSON…) say to a person. */
function frameworkRefusal(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  const status = error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (status === 413) {
    return new HttpError(
      413,
      'payload_too_large',
      'The request is larger than 1 MiB. Send fewer documents per request.',
    );
  }
  if (status === 415) {
    return new HttpError(
      415,
      'unsupported_media_type',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  // The router's own refusals (fastify's frameworkErrors): a URL it cannot even decode.
  if (code === 'FST_ERR_BAD_URL') {
    return new HttpError(
      400,
      'bad_url',
      'The address has a broken %-escape. Check the link, or type the address again.',
    );
  }
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return new HttpError(
      414,
      'url_too_long',
      'A part of the address is longer than 100 characters. Check the link, or type the address again.',
    );
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new HttpError(400, 'bad_request', 'The request body is empty; send a JSON object.');
  }
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new HttpError(400, 'bad_request', 'The request body is not valid JSON.');
  }
  const detail = error instanceof Error ? ` (${error.message})` : '';
  const kind = status === 400 ? 'bad_request' : 'request_refused';
  return new HttpError(status, kind, `The request could not be read${detail}.`);
}

/**
 * SQLite result codes (better-sqlite3 gives the extended ones, e.g. SQLITE_IOERR_WRITE) and
 * PostgreSQL SQLSTATEs that mean the database cannot take writes right now: read-only, disk full,
 * out of resources, connection to it lost. The transaction was rolled back, so nothing was saved
 * and the same request will work once the database does: 503, not a 500 (issue #6).
 */
const UNAVAILABLE_SQLITE = ['SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY'];
// 40001/40P01: still conflicting after inTransaction's retries (db/transaction.ts).
const UNAVAILABLE_POSTGRES = /^(25006|53...|57P0[123]|08...|40001|40P01)$/;
/** The database server cannot be reached at all (PostgreSQL down or restarting). */
const UNREACHABLE_NODE = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'];

/**
 * pg's own errors for a connection that died under a query or a checked-out client (the
 * database restarted or terminated it): they carry no code, only these sentences (pg 8.x).
 */
const LOST_PG_CONNECTION =
  /^(Connection terminated( unexpectedly)?|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect)$/;

function isStorageOutage(error: object): boolean {
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string') {
    return (
      UNAVAILABLE_SQLITE.some((prefix) => code === prefix || code.startsWith(`${prefix}_`)) ||
      UNAVAILABLE_POSTGRES.test(code) ||
      UNREACHABLE_NODE.includes(code)
    );
  }
  return error instanceof Error && LOST_PG_CONNECTION.test(error.message);
}

function storageRefusal(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null || !isStorageOutage(error)) return undefined;
  return new HttpError(
    503,
    'storage_unavailable',
    'The server cannot save right now: its database refuses writes (read-only, full disk or restarting). Nothing was saved. Tills keep their sales and send them again automatically; tell the manager if this lasts.',
  );
}

/** Turns anything thrown into an HttpError; unknown errors become a 500 that hides details. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  return (
    frameworkRefusal(error) ??
    storageRefusal(error) ??
    new HttpError(
      500,
      'internal',
      'Something went wrong on the server. Try again; if it keeps happening, tell a manager.',
    )
  );
}

export function sendApiError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const http = toHttpError(error);
  if (http.statusCode >= 500) request.log.error({ err: error }, 'request failed');
  return reply.status(http.statusCode).send(http.body());
}

export function rateLimited(after: string): HttpError {
  return new HttpError(429, 'rate_limited', `Too many attempts. Wait ${after} and try again.`);
}
