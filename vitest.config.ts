import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three projects: the POS, desktop shell and shared units (unit); the server and the tests under
 * test/ on SQLite (sqlite); then every test that touches the server's database again on
 * PostgreSQL (postgres: a throwaway cluster started by test/postgres/global-setup.ts, or
 * DATABASE_URL).
 */
const SERVER_TESTS = [
  'sync-server/**/*.test.ts',
  'test/{integration,faults,fuzz,backup,multi-instance}/**/*.test.ts',
];

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
        // allows 13 open collections per process, so a leak fails loudly). The server and system
        // tests below keep a fresh process per file: tried without, a test that timed out under
        // load left its terminals retrying, and their errors failed the next files in that worker.
        extends: true,
        test: {
          name: 'unit',
          include: ['{shared,renderer,electron,scripts,bench}/**/*.test.{ts,tsx}'],
          isolate: false,
          env: { ENTITLE_TEST_DB: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['{sync-server,test}/**/*.test.{ts,tsx}'],
          env: { ENTITLE_TEST_DB: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: SERVER_TESTS,
          env: { ENTITLE_TEST_DB: 'postgres' },
          globalSetup: ['test/postgres/global-setup.ts'],
        },
      },
    ],
  },
});
