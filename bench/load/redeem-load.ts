import { ENGINE_NAMES, ENGINES, startBenchServer, type Engine } from '../kit/engines.ts';
import type { BenchContext, Figure, Scenario, ScenarioOutcome } from '../kit/types.ts';
import { tmpdir } from 'node:os';
import type { LoadRequest } from './fixed-rate.ts';
import { atOpenRate, type OpenLoopRow } from './open-loop.ts';
import { lookups, redemptions, WARM_UP } from './portal-requests.ts';
import { sellCodes } from './seed-codes.ts';
import { serverStatsEnv, takeServerStats, type ServerStats } from './server-stats.ts';

const FULL_RATES = [100, 250, 500, 1000] as const;
const HEADLINE_RATE = 500;
/** Most keep-alive connections open at once: enough that no request waits for one. */
const CONNECTIONS = 128;

/** A rate's row with what the server saw meanwhile (event-loop delay, GC, commits). */
type Row = OpenLoopRow & { readonly server: ServerStats };
/** The per-address limit, raised through configuration only (README: PORTAL_RATE_LIMIT). */
const PORTAL_RATE_LIMIT = '1000000';

/**
 * The customer portal under load, as phones use it: GET /redeem/:code (the page a scanned QR code
 * opens: per-code limiter, lookup, HTML) at rising rates, then POST /redeem/:code/consume (the
 * "Redeem now" button: CSRF, per-code limiter, one transaction) at 500 req/s, each on its own
 * never-redeemed code. Every code is looked up at most a few times, so the per-code limit (10 in
 * 10 minutes) stays as in production and is never what answers.
 */
async function runEngine(
  ctx: BenchContext,
  engine: Engine,
): Promise<{ rows: Row[]; codes: number }> {
  const rates = ctx.quick ? [100] : FULL_RATES;
  const postRate = ctx.quick ? 100 : HEADLINE_RATE;
  const seconds = ctx.size(10, 1);
  const statsFile = `${tmpdir()}/entitle-redeem-load-${engine}-${String(process.pid)}`;
  const server = await startBenchServer({
    engine,
    env: { PORTAL_RATE_LIMIT, ...serverStatsEnv(statsFile) },
  });
  let statsTaken = 0;
  const measured = async (row: OpenLoopRow): Promise<Row> => ({
    ...row,
    server: await takeServerStats(server.pid, statsFile, ++statsTaken),
  });
  try {
    // Enough never-redeemed codes for every POST (the warm-up's too), with room for a few more.
    const warmUps = ctx.quick ? 0 : WARM_UP.rate * WARM_UP.seconds;
    const wanted = Math.ceil(postRate * seconds * 1.1) + warmUps + 50;
    ctx.log(`${ENGINE_NAMES[engine]}: selling ${String(wanted)} codes`);
    const codes = await sellCodes(server.url, wanted, (message) => {
      ctx.log(message);
    });
    const lookup = lookups(codes);
    const redeem = redemptions(codes);
    const warmUp = (kind: string, next: () => LoadRequest): Promise<OpenLoopRow> =>
      atOpenRate({ url: server.url, kind, ...WARM_UP, connections: CONNECTIONS, next });
    if (!ctx.quick) await warmUp('warm-up', lookup);
    // The server's figures from here on are per rate (this first window is the seeding's).
    await takeServerStats(server.pid, statsFile, ++statsTaken);
    const rows: Row[] = [];
    for (const rate of rates) {
      ctx.log(`${ENGINE_NAMES[engine]}: GET /redeem/:code at ${String(rate)} req/s`);
      rows.push(
        await measured(
          await atOpenRate({
            url: server.url,
            kind: 'lookup',
            rate,
            seconds,
            connections: CONNECTIONS,
            next: lookup,
          }),
        ),
      );
    }
    // Redemptions run code the lookups never did (the form, the group commit, the UPDATE): warmed
    // up like the lookups were, the warm-up's row kept in the JSON.
    if (!ctx.quick) rows.push(await measured(await warmUp('redeem warm-up', redeem)));
    ctx.log(`${ENGINE_NAMES[engine]}: POST /redeem/:code/consume at ${String(postRate)} req/s`);
    rows.push(
      await measured(
        await atOpenRate({
          url: server.url,
          kind: 'redeem',
          rate: postRate,
          seconds,
          connections: CONNECTIONS,
          next: redeem,
        }),
      ),
    );
    return { rows, codes: codes.length };
  } finally {
    await server.stop();
  }
}

function headline(engine: Engine, rows: readonly Row[], kind: string, rate: number): Figure[] {
  const row = rows.find(
    (candidate) => candidate.kind === kind && candidate.rate === rate && candidate.answered > 0,
  );
  const name = `${ENGINE_NAMES[engine]} ${kind === 'lookup' ? 'GET code page' : 'POST redeem'}`;
  const at = `at ${String(rate)} req/s`;
  return [
    { label: `${name} p50 ${at}`, value: row?.p50 ?? null, unit: 'ms' },
    {
      label: `${name} p99 ${at}`,
      value: row?.p99 ?? null,
      unit: 'ms',
      target: { op: '<', value: 25 },
    },
    {
      label: `${name} errors ${at}`,
      value: row?.errors ?? null,
      unit: 'errors',
      target: { op: '<', value: 1 },
    },
  ];
}

export const redeemLoadScenario: Scenario = {
  id: 'redeem-load',
  number: 5,
  title: 'Redemption under load',
  async run(ctx): Promise<ScenarioOutcome> {
    const rate = ctx.quick ? 100 : HEADLINE_RATE;
    const figures: Figure[] = [];
    const details: Record<string, unknown> = {};
    for (const engine of ENGINES) {
      const { rows, codes } = await runEngine(ctx, engine);
      figures.push(
        ...headline(engine, rows, 'lookup', rate),
        ...headline(engine, rows, 'redeem', rate),
      );
      details[engine] = { codes, rows };
    }
    return {
      figures,
      details,
      notes: [
        `Open-loop load at fixed rates (bench/load/open-loop.ts: request i due at i / rate, sent on any free keep-alive connection, up to ${String(CONNECTIONS)}; ${String(ctx.size(10, 1))} s per rate): lookups GET /redeem/:code at ${(ctx.quick ? [100] : FULL_RATES).join(', ')} req/s, then redemptions POST /redeem/:code/consume at ${String(rate)} req/s, each on a code never redeemed; per-rate rows in the JSON.`,
        `Warm-ups, not measured: ${String(WARM_UP.seconds)} s of lookups at ${String(WARM_UP.rate)} req/s before the lookups, and since the sixth round ${String(WARM_UP.seconds)} s of redemptions at ${String(WARM_UP.rate)} req/s before the redemptions (their row, kind "redeem warm-up", is in the JSON): before it, the first second of redemptions ran code no request had run yet, and its queue was most of the p99.`,
        "Latency is from the time a request was due to its answer's last byte (no coordinated omission: a queue in the server or a late generator counts); the rows also hold the service time (from the socket taking the request), the generator's own lateness and event-loop delay, and what the server saw meanwhile (its event-loop delay, GC pauses, commit times: bench/load/server-stats.ts). The first two rounds used autocannon's overallRate, which sends each connection's share of a second back to back at the start of the second and adds a sample for every millisecond of a slow answer: not comparable.",
        'Codes are sold through the API (demo enrolment, pushes) as a product without a template, the kind a customer may redeem on the spot; each is looked up a few times at most, so the per-code limit (10 in 10 minutes) is as in production.',
        `The per-address limit (30 a minute) would refuse one machine's load: the server runs with PORTAL_RATE_LIMIT=${PORTAL_RATE_LIMIT} (a documented setting), nothing else is changed for the benchmark.`,
        'Errors: answers other than 2xx plus connection errors and timeouts (10 s).',
      ],
    };
  },
};
