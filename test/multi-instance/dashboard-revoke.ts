import type { RunningServer } from '../../sync-server/app.ts';
import { DASHBOARD_COOKIE, createDashboardSession } from '../../sync-server/dashboard/session.ts';
import {
  TEST_PASSWORD,
  TEST_PIN_ITERATIONS,
  formBody,
} from '../../sync-server/dashboard/test-kit.ts';
import { systemClock, systemRandomBytes } from '../../sync-server/deps.ts';
import { hashSecret } from '../../sync-server/keys/secrets.ts';
import { createStaff } from '../../sync-server/staff/staff.ts';

/**
 * Revokes a terminal the way a manager does, through the dashboard of `server`: an admin signed
 * in on that instance posts the revoke form (the session is made directly; sign-in is tested
 * apart).
 */
export async function revokeOnDashboard(server: RunningServer, terminalId: string): Promise<void> {
  const deps = { clock: systemClock, randomBytes: systemRandomBytes };
  const admin = await createStaff(
    server.db,
    {
      storeId: null,
      name: 'Admin on this instance',
      role: 'admin',
      email: `admin-${terminalId}@shop.example.test`,
      password: TEST_PASSWORD,
    },
    { ...deps, pinIterations: TEST_PIN_ITERATIONS },
  );
  const id = await createDashboardSession(server.db, admin.id, deps);
  const { csrf_token: csrf } = await server.db
    .selectFrom('dashboard_sessions')
    .select('csrf_token')
    .where('id_hash', '=', hashSecret(id))
    .executeTakeFirstOrThrow();
  const response = await server.app.inject({
    method: 'POST',
    url: `/dashboard/terminals/${terminalId}/revoke`,
    headers: {
      cookie: `${DASHBOARD_COOKIE}=${id}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: formBody({ csrf }),
  });
  if (response.statusCode !== 303 || !String(response.headers.location).includes('revoked')) {
    throw new Error(`Revoke refused: ${String(response.statusCode)} ${response.body}`);
  }
}
