import pg from 'pg';
import { createDatabase, databaseUrl, dropDatabase, withClient } from './databases.ts';

/**
 * Making a database per test costs about a second on a busy 2-core machine; emptying one costs a
 * few milliseconds. So a test's database goes back to a shared list when it closes, emptied to
 * the template's rows, and the next test takes it. The list is a table in the admin database,
 * claimed with SKIP LOCKED, so parallel Vitest workers never share one.
 */
const LIST = 'entitle_test_databases';
const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

/** The template's own rows (migrations seed a few, e.g. the change sequence), by table. */
export type SeedRows = Record<string, readonly Record<string, unknown>[]>;

async function dataTables(client: pg.Client): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    `select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
  );
  return result.rows.map((row) => row.name).filter((name) => !MIGRATION_TABLES.includes(name));
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Reads the seed rows of the migrated template, and creates the shared list. */
export async function prepareReuse(adminUrl: string, template: string): Promise<SeedRows> {
  await withClient(adminUrl, (client) =>
    client.query(
      `create table if not exists ${LIST} (name text primary key, in_use boolean not null)`,
    ),
  );
  return withClient(databaseUrl(adminUrl, template), async (client) => {
    const seeds: Record<string, Record<string, unknown>[]> = {};
    for (const table of await dataTables(client)) {
      const rows = (await client.query<Record<string, unknown>>(`select * from ${quote(table)}`))
        .rows;
      if (rows.length > 0) seeds[table] = rows;
    }
    return seeds;
  });
}

/** A free database from the list, or a new copy of the template; yours until `release`. */
export async function claimDatabase(
  adminUrl: string,
  template: string,
  newName: () => string,
): Promise<string> {
  const claimed = await withClient(adminUrl, (client) =>
    client.query<{ name: string }>(
      `update ${LIST} set in_use = true where name = (
         select name from ${LIST} where not in_use limit 1 for update skip locked
       ) returning name`,
    ),
  );
  const free = claimed.rows[0]?.name;
  if (free !== undefined) return free;
  const name = newName();
  await createDatabase(adminUrl, name, template);
  await withClient(adminUrl, (client) =>
    client.query(`insert into ${LIST} (name, in_use) values ($1, true)`, [name]),
  );
  return name;
}

/**
 * Ends every other connection to the database (a killed server's, a leaked pool's), empties
 * every table back to the template's rows and puts it back on the list. A database that cannot
 * be emptied is dropped instead.
 */
export async function releaseDatabase(
  adminUrl: string,
  name: string,
  seeds: SeedRows,
): Promise<void> {
  try {
    await withClient(adminUrl, (client) =>
      client.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      ),
    );
    await withClient(databaseUrl(adminUrl, name), async (client) => {
      const tables = await dataTables(client);
      await client.query('begin');
      if (tables.length > 0) {
        await client.query(`truncate ${tables.map(quote).join(', ')} restart identity cascade`);
      }
      for (const [table, rows] of Object.entries(seeds)) {
        for (const row of rows) {
          const columns = Object.keys(row);
          const values = columns.map((_, index) => `$${String(index + 1)}`);
          await client.query(
            `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values (${values.join(', ')})`,
            columns.map((column) => row[column]),
          );
        }
      }
      await client.query('commit');
    });
    await withClient(adminUrl, (client) =>
      client.query(`update ${LIST} set in_use = false where name = $1`, [name]),
    );
  } catch {
    await dropDatabase(adminUrl, name);
    await withClient(adminUrl, (client) =>
      client.query(`delete from ${LIST} where name = $1`, [name]),
    );
  }
}
