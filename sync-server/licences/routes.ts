import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../deps.ts';
import { licencePublicKey } from '../keys/licence-key.ts';

/**
 * GET /licence-key: the public half of the key that signs licence files, for verifying them
 * offline (shared/templates/verify-licence.ts, `npm run verify-licence`). Public by design.
 */
export function licenceKeyRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/licence-key', async (_request, reply) => {
    const key = await licencePublicKey(ctx.db, ctx);
    return reply
      .header('cache-control', 'public, max-age=3600')
      .send({ algorithm: 'Ed25519', publicKey: key.publicKey, pem: key.pem });
  });
}
