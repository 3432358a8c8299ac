/**
 * The first sync's floor with other indexes, page sizes or groupings than the benchmark's
 * (bench/new-terminal/first-sync-floor.ts): prints the wall time and Chromium's CPU per process.
 *
 *   npx tsx bench/new-terminal/first-sync-floor-cli.ts [indexes: rxdb|one|primary|page]
 *     [page size: 2000] [durability: strict|relaxed|default] [statuses a record: 1]
 */
import { measureFirstSyncFloor, type FloorIndexes } from './first-sync-floor.ts';

const [indexes = 'rxdb', pageSize = '2000', durability = 'strict', perRecord = '1'] =
  process.argv.slice(2);
const options = {
  products: 20_000,
  statuses: 50_000,
  indexes: indexes as FloorIndexes,
  pageSize: Number(pageSize),
  durability: durability as IDBTransactionDurability,
  statusesPerRecord: Number(perRecord),
};
const run = await measureFirstSyncFloor(options);
process.stdout.write(`${JSON.stringify({ ...options, ...run })}\n`);
