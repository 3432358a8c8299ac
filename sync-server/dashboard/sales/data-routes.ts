import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../deps.ts';
import { auditRoutes } from '../audit/audit-routes.ts';
import { entitlementRoutes } from '../entitlements/entitlement-routes.ts';
import { exportRoutes } from '../exports/export-routes.ts';
import { reportRoutes } from '../reports/reports-page.ts';
import { setUpDashboardScope } from '../scope.ts';
import { shiftRoutes } from '../shifts/shift-routes.ts';
import { salesRoutes } from './sales-routes.ts';

/**
 * The dashboard's data pages (sales, entitlements, reports, exports, shifts, audit) in one
 * scope that shares the dashboard's form parsing, headers and error pages.
 */
export async function dashboardDataRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    await setUpDashboardScope(scope);
    salesRoutes(scope, ctx);
    entitlementRoutes(scope, ctx);
    reportRoutes(scope, ctx);
    auditRoutes(scope, ctx);
    shiftRoutes(scope, ctx);
    exportRoutes(scope, ctx);
  });
}
