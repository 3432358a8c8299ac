import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { authenticateTerminal } from '../auth/terminal-auth.ts';
import type { AppContext } from '../deps.ts';
import { auditPushRoutes } from './audit-push.ts';
import { pullRoutes } from './pull.ts';
import { pushRoutes } from './push.ts';
import { refundsPushRoutes } from './refunds-push.ts';
import { staffPullRoutes } from './staff-pull.ts';
import { streamRoutes } from './stream.ts';
import { voidsPushRoutes } from './voids-push.ts';

/** Everything under /api/v1/sync: one encapsulated scope, so the auth hook covers all of it. */
export async function syncRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', authenticateTerminal(ctx));
      pullRoutes(scope, ctx);
      staffPullRoutes(scope, ctx);
      pushRoutes(scope, ctx);
      voidsPushRoutes(scope, ctx);
      refundsPushRoutes(scope, ctx);
      auditPushRoutes(scope, ctx);
      streamRoutes(scope, ctx);
      done();
    },
    { prefix: `${API_PREFIX}/sync` },
  );
}
