import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { freePort } from './free-port.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

/** The demo people who may sign in to the dashboard (sync-server/staff/demo-staff.ts). */
export const DEMO_DASHBOARD_MANAGER = {
  name: 'Morgan (manager)',
  email: 'manager@demo.entitle.test',
  password: 'demo-manager-password',
} as const;
export const DEMO_DASHBOARD_ADMIN = {
  name: 'Sam (admin)',
  email: 'admin@demo.entitle.test',
  password: 'demo-admin-password',
} as const;

export type DashboardServer = { readonly url: string; readonly server: ServerProcess };

/**
 * A demo sync server in its own process for the dashboard specs of one file (no POS needed: the
 * dashboard is the server's own HTML). Started before them, stopped and its data removed after.
 */
export function useDashboardServer(name: string): DashboardServer {
  let dataDir = '';
  let server: ServerProcess | undefined;
  test.beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), `entitle-${name}-`));
    server = await startServerProcess({ dataDir, port: await freePort(), demo: true });
  });
  test.afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get server() {
      if (server === undefined) throw new Error('The sync server has not started yet.');
      return server;
    },
    get url() {
      if (server === undefined) throw new Error('The sync server has not started yet.');
      return server.url;
    },
  };
}

/** Signs in on /dashboard/signin and waits for the overview. */
export async function signInToDashboard(
  page: Page,
  serverUrl: string,
  who: {
    readonly name: string;
    readonly email: string;
    readonly password: string;
  } = DEMO_DASHBOARD_MANAGER,
): Promise<void> {
  await page.goto(`${serverUrl}/dashboard/signin`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByText(who.name)).toBeVisible();
}
