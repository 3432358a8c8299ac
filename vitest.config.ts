import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Five projects: the POS, desktop shell and shared units (unit); the server and the tests under
 * test/ on SQLite (sqlite); then every test that touches the server's database again on
 * PostgreSQL (postgres: a throwaway cluster started by test/postgres/global-setup.ts, or
 * DATABASE_URL). The system tests that run terminals against a real server, its child processes
 * or a TCP proxy (SYSTEM_TESTS) are projects of their own on each engine, 'isolated:sqlite' and
 * 'isolated:postgres', each file in a fresh process. `--project 'sqlite*'`-style filters miss
 * them: use `--project sqlite --project isolated:sqlite`, or no filter.
 */
const SYSTEM_TESTS = ['test/{integration,faults,backup,multi-instance}/**/*.test.{ts,tsx}'];
const SERVER_TESTS = ['sync-server/**/*.test.ts', 'test/fuzz/**/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    // Many server tests wait on PostgreSQL or a server child process rather than the CPU: on this
    // 2-core machine three workers finish the suite in 6 minutes instead of Vitest's default
    // (cores - 1 = one worker) 10½.
    maxWorkers: Math.max(3, availableParallelism()),
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        // The POS, the desktop shell and the shared code touch no server database. Their files share
        // one module cache per worker (isolate: false): importing RxDB, React and zod again for each
        // of ~100 files was three quarters of their time. Every file closes what it opens (RxDB
        // allows 13 open collections per process, so a leak fails loudly).
        extends: true,
        test: {
          name: 'unit',
          include: ['{shared,renderer,electron,scripts,bench}/**/*.test.{ts,tsx}'],
          isolate: false,
          env: { ENTITLE_TEST_DB: 'sqlite' },
        },
      },
      {
        // Server tests share one module cache per worker too: importing Fastify, Kysely, zod and the
        // server again for each file was most of their time. They start no terminals, child
        // processes or long timers, and each closes its app and database in afterEach/afterAll.
        extends: true,
        test: {
          name: 'sqlite',
          include: [...SERVER_TESTS, 'test/fake-stripe/**/*.test.ts'],
          isolate: false,
          env: { ENTITLE_TEST_DB: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: SERVER_TESTS,
          isolate: false,
          env: { ENTITLE_TEST_DB: 'postgres' },
          globalSetup: ['test/postgres/global-setup.ts'],
        },
      },
      {
        // The system tests keep a fresh process per file: tried in a shared one, a test that timed
        // out under load left its terminals retrying, and their errors failed the next files in
        // that worker. Their names sort before the others, so their long files start first.
        extends: true,
        test: {
          name: 'isolated:sqlite',
          include: SYSTEM_TESTS,
          env: { ENTITLE_TEST_DB: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated:postgres',
          include: SYSTEM_TESTS,
          env: { ENTITLE_TEST_DB: 'postgres' },
          globalSetup: ['test/postgres/global-setup.ts'],
        },
      },
    ],
  },
});
