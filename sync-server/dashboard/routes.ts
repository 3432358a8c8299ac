import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../deps.ts';
import { catalogueRoutes } from './catalogue.ts';
import { DASHBOARD_CSS } from './dashboard-css.ts';
import { DASHBOARD_CSS_PATH } from './layout.ts';
import { overviewRoutes } from './overview.ts';
import { setUpDashboardScope } from './scope.ts';
import { settingsRoutes } from './settings.ts';
import { signinRoutes } from './signin-routes.ts';
import { staffRoutes } from './staff-routes.ts';
import { storeRoutes } from './stores.ts';
import { terminalRoutes } from './terminals.ts';

/**
 * The manager's dashboard under /dashboard: server-rendered HTML, no script needed. Sign-in,
 * the overview and the back-office pages (terminals, staff, settings, catalogue, stores).
 * Sales, entitlements, reports, shifts and audit register their own scopes (see
 * setUpDashboardScope) and share the session, layout and action log.
 */
export async function dashboardRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    await setUpDashboardScope(scope);
    scope.get(DASHBOARD_CSS_PATH, (_request, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(DASHBOARD_CSS),
    );
    signinRoutes(scope, ctx);
    overviewRoutes(scope, ctx);
    terminalRoutes(scope, ctx);
    staffRoutes(scope, ctx);
    settingsRoutes(scope, ctx);
    catalogueRoutes(scope, ctx);
    storeRoutes(scope, ctx);
  });
}
