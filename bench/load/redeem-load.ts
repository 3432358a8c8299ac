import { randomBytes } from 'node:crypto';
import { ENGINE_NAMES, ENGINES, startBenchServer, type Engine } from '../kit/engines.ts';
import type { BenchContext, Figure, Scenario, ScenarioOutcome } from '../kit/types.ts';
import { atFixedRate, type LoadRequest, type RateRow } from './fixed-rate.ts';
import { sellCodes } from './seed-codes.ts';

const FULL_RATES = [100, 250, 500, 1000] as const;
const HEADLINE_RATE = 500;
const CONNECTIONS = 32;
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
): Promise<{ rows: RateRow[]; codes: number }> {
  const rates = ctx.quick ? [100] : FULL_RATES;
  const postRate = ctx.quick ? 100 : HEADLINE_RATE;
  const seconds = ctx.size(10, 1);
  const server = await startBenchServer({
    engine,
    env: { PORTAL_RATE_LIMIT },
  });
  try {
    // Enough never-redeemed codes for every POST, with room for the few requests autocannon
    // sends past the rate; lookups go round all of them.
    const wanted = Math.ceil(postRate * seconds * 1.1) + 50;
    ctx.log(`${ENGINE_NAMES[engine]}: selling ${String(wanted)} codes`);
    const codes = await sellCodes(server.url, wanted, (message) => {
      ctx.log(message);
    });
    let looked = 0;
    const lookup = (): LoadRequest => ({
      method: 'GET',
      path: `/redeem/${codes[looked++ % codes.length] ?? ''}`,
    });
    if (!ctx.quick) {
      await atFixedRate({
        url: server.url,
        kind: 'warm-up',
        rate: 100,
        seconds: 2,
        connections: CONNECTIONS,
        next: lookup,
      });
    }
    const rows: RateRow[] = [];
    for (const rate of rates) {
      ctx.log(`${ENGINE_NAMES[engine]}: GET /redeem/:code at ${String(rate)} req/s`);
      rows.push(
        await atFixedRate({
          url: server.url,
          kind: 'lookup',
          rate,
          seconds,
          connections: CONNECTIONS,
          next: lookup,
        }),
      );
    }
    // A browser's double-submit pair: the cookie the lookup page set and the form's hidden field.
    const csrf = randomBytes(32).toString('base64url');
    let redeemed = 0;
    ctx.log(`${ENGINE_NAMES[engine]}: POST /redeem/:code/consume at ${String(postRate)} req/s`);
    rows.push(
      await atFixedRate({
        url: server.url,
        kind: 'redeem',
        rate: postRate,
        seconds,
        connections: CONNECTIONS,
        next: () => ({
          method: 'POST',
          path: `/redeem/${codes[redeemed++] ?? 'none-left'}/consume`,
          headers: {
            cookie: `entitle_csrf=${csrf}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: `csrf=${csrf}`,
        }),
      }),
    );
    return { rows, codes: codes.length };
  } finally {
    await server.stop();
  }
}

function headline(engine: Engine, rows: readonly RateRow[], kind: string, rate: number): Figure[] {
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
        `autocannon at fixed rates (${CONNECTIONS} keep-alive connections, ${String(ctx.size(10, 1))} s per rate; latency includes waiting for a connection): lookups GET /redeem/:code at ${(ctx.quick ? [100] : FULL_RATES).join(', ')} req/s, then redemptions POST /redeem/:code/consume at ${String(rate)} req/s, each on a code never redeemed; per-rate rows in the JSON.`,
        'Codes are sold through the API (demo enrolment, pushes) as a product without a template, the kind a customer may redeem on the spot; each is looked up a few times at most, so the per-code limit (10 in 10 minutes) is as in production.',
        `The per-address limit (30 a minute) would refuse one machine's load: the server runs with PORTAL_RATE_LIMIT=${PORTAL_RATE_LIMIT} (a documented setting), nothing else is changed for the benchmark.`,
        'Errors: answers other than 2xx plus connection errors and timeouts (10 s).',
      ],
    };
  },
};
