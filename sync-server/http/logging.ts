import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * A redemption URL carries a whole code, and whoever has the code can redeem it: logs keep the
 * terminal prefix (useful for support) and drop the rest.
 */
export function maskCodesInUrl(url: string): string {
  return url.replace(/^(\/redeem\/[^/?#]{0,4})[^/?#]*/, (_match, kept: string) => `${kept}…`);
}

/** Structured JSON logs through fastify's pino; bearer tokens never reach a log line. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: ['req.headers.authorization'],
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: maskCodesInUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
      }),
    },
  };
}
