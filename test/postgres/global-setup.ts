import { randomBytes } from 'node:crypto';
import { startThrowawayCluster, type ThrowawayCluster } from './cluster.ts';
import { createMigratedTemplate, dropDatabase } from './databases.ts';
import { prepareReuse } from './reusable.ts';
import { PG_ADMIN_URL_ENV, PG_BIN_ENV, PG_SEEDS_ENV, PG_TEMPLATE_ENV } from './test-env.ts';

type Shared = {
  users: number;
  ready: Promise<void>;
  cluster: ThrowawayCluster | undefined;
  adminUrl: string | undefined;
  template: string | undefined;
};

/**
 * Two projects run on PostgreSQL ('postgres' and 'isolated:postgres'), and Vitest runs each
 * project's global set-up once, from its own copy of this module: the first starts the cluster and
 * the template, the other uses them, and the last teardown stops them. Kept on globalThis, which
 * both copies share (the main Vitest process).
 */
const KEY = Symbol.for('entitle.test.postgres.global-setup');
const holder = globalThis as typeof globalThis & { [KEY]?: Shared | undefined };

async function start(shared: Shared): Promise<void> {
  const given = process.env.DATABASE_URL;
  if (given !== undefined && given !== '') {
    shared.adminUrl = given;
  } else {
    shared.cluster = await startThrowawayCluster();
    shared.adminUrl = shared.cluster.adminUrl;
    process.env[PG_BIN_ENV] = shared.cluster.binDir;
  }
  shared.template = `entitle_template_${randomBytes(4).toString('hex')}`;
  await createMigratedTemplate(shared.adminUrl, shared.template);
  process.env[PG_SEEDS_ENV] = JSON.stringify(await prepareReuse(shared.adminUrl, shared.template));
  process.env[PG_ADMIN_URL_ENV] = shared.adminUrl;
  process.env[PG_TEMPLATE_ENV] = shared.template;
}

/**
 * Vitest's global set-up for the PostgreSQL projects: a throwaway cluster (or the server in
 * DATABASE_URL), with one migrated template database each test copies. Test workers start after
 * this returns and inherit the environment it sets.
 */
export async function setup(): Promise<void> {
  let shared = holder[KEY];
  if (shared === undefined) {
    const fresh: Shared = {
      users: 0,
      ready: Promise.resolve(),
      cluster: undefined,
      adminUrl: undefined,
      template: undefined,
    };
    fresh.ready = start(fresh);
    holder[KEY] = shared = fresh;
  }
  shared.users += 1;
  await shared.ready;
}

export async function teardown(): Promise<void> {
  const shared = holder[KEY];
  if (shared === undefined) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  holder[KEY] = undefined;
  await shared.ready.catch(() => undefined);
  if (shared.cluster !== undefined) await shared.cluster.stop();
  else if (shared.adminUrl !== undefined && shared.template !== undefined) {
    await dropDatabase(shared.adminUrl, shared.template);
  }
}
