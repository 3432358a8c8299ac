/** Set by the `postgres` Vitest project (vitest.config.ts): which engine the server tests use. */
export const TEST_ENGINE_ENV = 'ENTITLE_TEST_DB';
/** Set by global-setup.ts for the test workers. */
export const PG_ADMIN_URL_ENV = 'ENTITLE_TEST_PG_ADMIN_URL';
export const PG_TEMPLATE_ENV = 'ENTITLE_TEST_PG_TEMPLATE';
/** The template's seed rows (reusable.ts), JSON. */
export const PG_SEEDS_ENV = 'ENTITLE_TEST_PG_SEEDS';
export const PG_BIN_ENV = 'ENTITLE_TEST_PG_BIN';

export type TestEngine = 'sqlite' | 'postgres';

export function testEngine(): TestEngine {
  return process.env[TEST_ENGINE_ENV] === 'postgres' ? 'postgres' : 'sqlite';
}
