/**
 * The first sync's floor with other indexes, page sizes or groupings than the benchmark's
 * (bench/new-terminal/first-sync-floor.ts): prints the wall time and Chromium's CPU per process.
 *
 *   npx tsx bench/new-terminal/first-sync-floor-cli.ts [indexes: rxdb|needed|one|primary|page]
 *     [page size: 2000] [durability: strict|relaxed|default] [statuses a record: 1]
 */
import { measureFirstSyncFloor, type FloorIndexes } from './first-sync-floor.ts';

const [indexes = 'rxdb', pageSize = '2000', durability = 'strict', perRecord = '1'] =
  process.argv.slice(2);
const INDEXES: readonly FloorIndexes[] = ['rxdb', 'needed', 'one', 'primary', 'page'];
const DURABILITIES: readonly IDBTransactionDurability[] = ['strict', 'relaxed', 'default'];
const indexSet = INDEXES.find((known) => known === indexes);
const writeDurability = DURABILITIES.find((known) => known === durability);
if (indexSet === undefined || writeDurability === undefined || !(Number(pageSize) > 0))
  throw new Error(
    `Usage: [indexes: ${INDEXES.join('|')}] [page size > 0] [durability: ${DURABILITIES.join('|')}] [statuses a record]`,
  );
const options = {
  products: 20_000,
  statuses: 50_000,
  indexes: indexSet,
  pageSize: Number(pageSize),
  durability: writeDurability,
  statusesPerRecord: Number(perRecord),
};
const run = await measureFirstSyncFloor(options);
process.stdout.write(`${JSON.stringify({ ...options, ...run })}\n`);
