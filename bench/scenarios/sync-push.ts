import { PUSH_IN_FLIGHT } from '../../renderer/sync/replication.ts';
import { PUSH_BATCH_LIMIT } from '../../shared/schemas/protocol.ts';
import { ENGINE_NAMES, ENGINES } from '../kit/engines.ts';
import { rounded } from '../kit/stats.ts';
import type { Figure, Scenario } from '../kit/types.ts';
import { runOurPush, type OurPush } from '../sync-push/ours.ts';
import { POUCH_BATCH_SIZE, runPouchPush } from '../sync-push/pouch.ts';
import { planSales, plannedCodes } from '../sync-push/sales-plan.ts';

/** The POS's push batch (renderer/sync/replication.ts), reported beside PouchDB's. */

/**
 * Issue #7 item 2: the same offline sales pushed by the POS's own replication to our server (on
 * each engine) and by PouchDB to pouchdb-server, timed until the server acknowledged the last
 * one, and checked against what the server then holds.
 */
const syncPush: Scenario = {
  id: 'sync-push',
  number: 2,
  title: 'Sync push, 10,000 offline sales',
  async run(ctx) {
    const count = ctx.size(10_000, 100);
    const plan = planSales(count);
    const codes = plannedCodes(plan);
    ctx.log(`sync-push: ${String(count)} sales, ${String(codes)} codes`);

    const ours: OurPush[] = [];
    for (const engine of ENGINES) {
      ctx.log(`sync-push: ${ENGINE_NAMES[engine]}`);
      const run = await runOurPush({ engine, plan, log: (message) => ctx.log(message) });
      const held = run.onServer;
      if (held.sales !== count || held.codes !== codes || run.rejected > 0) {
        throw new Error(
          `${ENGINE_NAMES[engine]} holds ${String(held.sales)} of ${String(count)} sales and ${String(held.codes)} of ${String(codes)} codes (${String(run.rejected)} rejected): the push did not do the work.`,
        );
      }
      ours.push(run);
    }

    ctx.log('sync-push: PouchDB to pouchdb-server');
    // The same documents: the sales as the first till stored them.
    const pouch = await runPouchPush(ours[0]?.sales ?? []);
    if (pouch.remoteDocs !== count) {
      throw new Error(
        `pouchdb-server holds ${String(pouch.remoteDocs)} of ${String(count)} sales after replication.`,
      );
    }
    const pouchRate = count / pouch.seconds;

    const figures: Figure[] = [];
    for (const run of ours) {
      figures.push({
        label: `${ENGINE_NAMES[run.engine]} sales/s`,
        value: rounded(count / run.salesSeconds),
        unit: 'sales/s',
      });
    }
    figures.push({
      label: 'PouchDB to pouchdb-server sales/s',
      value: rounded(pouchRate),
      unit: 'sales/s',
    });
    for (const run of ours) {
      figures.push({
        label: `${ENGINE_NAMES[run.engine]} / PouchDB`,
        value: rounded(count / run.salesSeconds / pouchRate),
        unit: 'x',
        target: { op: '>=', value: 5 },
      });
    }

    return {
      figures,
      details: {
        sales: count,
        codes,
        batchSize: { ours: PUSH_BATCH_LIMIT, pouchdb: POUCH_BATCH_SIZE },
        ours: ours.map((run) => ({
          engine: run.engine,
          wallSeconds: rounded(run.salesSeconds),
          withAuditSeconds: rounded(run.allFactsSeconds),
          sellOfflineSeconds: rounded(run.sellSeconds),
          auditEvents: run.auditEvents,
          onServer: run.onServer,
          pendingOverTime: run.progress,
        })),
        pouchdb: {
          wallSeconds: rounded(pouch.seconds),
          remoteDocs: pouch.remoteDocs,
          docsWritten: pouch.docsWritten,
          diskBytes: pouch.diskBytes,
          diskFiles: pouch.diskFiles,
        },
      },
      notes: [
        `Same ${String(count)} sales (seeded carts, 1-3 lines of 1-3 codes); ours are timed from startSync until the server has answered for the last sale (its push response; the audit events' time is in the details), PouchDB from replicate() until it completes.`,
        'Ours does more per sale: the server checks every code against the terminal key, stores sale, lines and entitlements, and the audit chain (one event per sale) is pushed alongside; PouchDB stores each sale as one JSON blob.',
        `Ours pushes ${String(PUSH_BATCH_LIMIT)} per request (up to ${String(PUSH_IN_FLIGHT)} requests in flight per collection, renderer/sync/push-loop.ts) while the POS also pulls the new codes' statuses; PouchDB's defaults are ${String(POUCH_BATCH_SIZE)} per _bulk_docs, up to 10 batches queued.`,
        `Durability: PostgreSQL fsyncs every commit; SQLite is WAL with synchronous FULL (fsync at every commit too); pouchdb-server's LevelDOWN writes its log without fsync, so it survives a process crash, not a power cut (LevelDB files on disk: ${String(pouch.diskBytes)} bytes).`,
      ],
    };
  },
};

/** Issue #7 items 2 sync push against PouchDB and pouchdb-server. */
export const syncPushScenarios: readonly Scenario[] = [syncPush];
