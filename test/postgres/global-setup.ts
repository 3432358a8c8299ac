import { randomBytes } from 'node:crypto';
import { startThrowawayCluster, type ThrowawayCluster } from './cluster.ts';
import { createMigratedTemplate, dropDatabase } from './databases.ts';
import { prepareReuse } from './reusable.ts';
import { PG_ADMIN_URL_ENV, PG_BIN_ENV, PG_SEEDS_ENV, PG_TEMPLATE_ENV } from './test-env.ts';

let cluster: ThrowawayCluster | undefined;
let template: string | undefined;

/**
 * Vitest's global set-up for the `postgres` project: a throwaway cluster (or the server in
 * DATABASE_URL), with one migrated template database each test copies. Test workers start after
 * this returns and inherit the environment it sets.
 */
export async function setup(): Promise<void> {
  const given = process.env.DATABASE_URL;
  let adminUrl: string;
  if (given !== undefined && given !== '') {
    adminUrl = given;
  } else {
    cluster = await startThrowawayCluster();
    adminUrl = cluster.adminUrl;
    process.env[PG_BIN_ENV] = cluster.binDir;
  }
  template = `entitle_template_${randomBytes(4).toString('hex')}`;
  await createMigratedTemplate(adminUrl, template);
  process.env[PG_SEEDS_ENV] = JSON.stringify(await prepareReuse(adminUrl, template));
  process.env[PG_ADMIN_URL_ENV] = adminUrl;
  process.env[PG_TEMPLATE_ENV] = template;
}

export async function teardown(): Promise<void> {
  const adminUrl = process.env[PG_ADMIN_URL_ENV];
  if (cluster !== undefined) await cluster.stop();
  else if (adminUrl !== undefined && template !== undefined) await dropDatabase(adminUrl, template);
}
