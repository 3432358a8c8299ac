import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { HttpError } from './errors.ts';

/** Deeper than any document we accept; past it the walk stops (the schemas refuse such bodies). */
const MAX_DEPTH = 64;

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => holdsNul(item, depth + 1));
  return Object.entries(value).some(
    ([key, item]) => key.includes('\u0000') || holdsNul(item, depth + 1),
  );
}

/**
 * Refuses a request with a NUL character (U+0000) anywhere in its path, query or body. No field
 * of ours has a use for one, and PostgreSQL cannot store one in text: it failed the query with a
 * 500 (found by fuzzing, test/fuzz) where SQLite stored it. One check here instead of in every
 * schema; a preHandler, so the route's own error handler answers (JSON for the API, a page for
 * the portal and dashboard).
 */
export function refuseNulCharacters(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  if (holdsNul(request.params) || holdsNul(request.query) || holdsNul(request.body)) {
    done(
      new HttpError(
        400,
        'nul_character',
        'The request holds a NUL character (\\u0000), which no field accepts. Remove it and try again.',
      ),
    );
    return;
  }
  done();
}
