import pg from 'pg';
import { openPostgres } from '../../sync-server/db/connection.ts';
import { migrateToLatest } from '../../sync-server/db/migrate.ts';

/** The URL of `database` on the same server as `adminUrl`. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** One connection to `url` for `work`, closed afterwards. */
export async function withClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Creates an empty database, or a copy of `template` (much faster than migrating each time). */
export async function createDatabase(
  adminUrl: string,
  name: string,
  template?: string,
): Promise<string> {
  const from = template === undefined ? '' : ` TEMPLATE ${quote(template)}`;
  await withClient(adminUrl, async (client) => {
    // Two copies of one template at the same instant can collide on its lock: try again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query(`CREATE DATABASE ${quote(name)}${from}`);
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  });
  return databaseUrl(adminUrl, name);
}

/** Drops a database even while something still holds a connection to it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`),
  );
}

/** A database with every migration run, to copy for each test. */
export async function createMigratedTemplate(adminUrl: string, name: string): Promise<void> {
  const url = await createDatabase(adminUrl, name);
  const db = openPostgres(url, { max: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
