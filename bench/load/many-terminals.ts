import http from 'node:http';
import { API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/schemas/protocol.ts';
import { GIFT_25 } from '../../sync-server/test-support/sales.ts';
import { enrolApiTerminal, type ApiTerminal } from '../../test/support/api-terminal.ts';
import { ENGINE_NAMES, ENGINES, startBenchServer, type Engine } from '../kit/engines.ts';
import { residentMegabytes, sampleResidentMemory } from '../kit/memory.ts';
import { rounded, summarize } from '../kit/stats.ts';
import type { BenchContext, Figure, Scenario, ScenarioOutcome } from '../kit/types.ts';

const PUSH_EVERY_MS = 1000;
const ENROL_AT_ONCE = 10;

/** A live stream as the POS holds it (renderer/sync): counts the change events it hears. */
type Stream = { changes: number; close(): void };

function openStream(serverUrl: string, token: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const stream: Stream = { changes: 0, close: () => undefined };
    const request = http.get(
      new URL(`${API_PREFIX}/sync/stream`, serverUrl),
      {
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
          accept: 'text/event-stream',
        },
      },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`The stream answered ${String(response.statusCode)}`));
          response.resume();
          return;
        }
        let pending = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          pending += chunk;
          const events = pending.split('\n\n');
          pending = events.pop() ?? '';
          for (const event of events) if (event.startsWith('event: change')) stream.changes += 1;
        });
        response.on('error', () => undefined);
        stream.close = () => {
          request.destroy();
        };
        resolve(stream);
      },
    );
    request.on('error', reject);
  });
}

type TerminalRun = { latencies: number[]; errors: number; errorSamples: string[] };

/** Pushes one new sale every PUSH_EVERY_MS (or as soon as the previous push answered) until `until`. */
async function sellEverySecond(till: ApiTerminal, until: number, run: TerminalRun): Promise<void> {
  // Spread the terminals over the first second, as tills in shops do not sell in lockstep.
  let due = Date.now() + Math.random() * PUSH_EVERY_MS;
  while (due < until) {
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sale = await till.makeSale([{ ...GIFT_25, quantity: 1 + Math.floor(Math.random() * 2) }]);
    const start = performance.now();
    try {
      await till.push('sales', [sale]);
      run.latencies.push(performance.now() - start);
    } catch (error) {
      run.errors += 1;
      if (run.errorSamples.length < 3) run.errorSamples.push(String(error));
    }
    due += PUSH_EVERY_MS;
  }
}

export type ManyTerminalsRun = {
  readonly engine: Engine;
  readonly terminals: number;
  readonly seconds: number;
  readonly pushes: number;
  readonly pushP50: number;
  readonly pushP99: number;
  readonly pushMax: number;
  readonly errors: number;
  readonly errorSamples: readonly string[];
  /** Streams that heard at least one change event. */
  readonly streamsWithChanges: number;
  readonly changeEvents: number;
  readonly idleMb: number | null;
  readonly peakMb: number | null;
};

async function runEngine(ctx: BenchContext, engine: Engine): Promise<ManyTerminalsRun> {
  const count = ctx.size(100, 5);
  const seconds = ctx.size(30, 3);
  const server = await startBenchServer({
    engine,
    // The per-address enrolment limit (10 a minute) would refuse 100 tills on one machine.
    env: { ENROL_RATE_LIMIT: '1000' },
  });
  const streams: Stream[] = [];
  try {
    const idleMb = await residentMegabytes(server.pid);
    const memory = sampleResidentMemory(server.pid);
    ctx.log(
      `${ENGINE_NAMES[engine]}: enrolling ${String(count)} terminals with a live stream each`,
    );
    const tills: ApiTerminal[] = [];
    for (let first = 0; first < count; first += ENROL_AT_ONCE) {
      const names = Array.from(
        { length: Math.min(ENROL_AT_ONCE, count - first) },
        (_, i) => `Till ${String(first + i + 1)}`,
      );
      const enrolled = await Promise.all(names.map((name) => enrolApiTerminal(server.url, name)));
      tills.push(...enrolled);
      streams.push(
        ...(await Promise.all(
          enrolled.map((till) => openStream(server.url, till.credentials.token)),
        )),
      );
    }
    ctx.log(
      `${ENGINE_NAMES[engine]}: ${String(count)} terminals push a sale a second for ${String(seconds)} s`,
    );
    const run: TerminalRun = { latencies: [], errors: 0, errorSamples: [] };
    const until = Date.now() + seconds * 1000;
    await Promise.all(tills.map((till) => sellEverySecond(till, until, run)));
    // The last pushes' events are on their way.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const peakMb = await memory.stop();
    const summary = summarize(run.latencies);
    return {
      engine,
      terminals: count,
      seconds,
      pushes: run.latencies.length + run.errors,
      pushP50: rounded(summary.p50),
      pushP99: rounded(summary.p99),
      pushMax: rounded(summary.max),
      errors: run.errors,
      errorSamples: run.errorSamples,
      streamsWithChanges: streams.filter((stream) => stream.changes > 0).length,
      changeEvents: streams.reduce((sum, stream) => sum + stream.changes, 0),
      idleMb: idleMb === null ? null : rounded(idleMb),
      peakMb: peakMb === null ? null : rounded(peakMb),
    };
  } finally {
    for (const stream of streams) stream.close();
    await server.stop();
  }
}

/** One load run per `--quick` setting, shared by items 6 and 8 (server memory is measured in it). */
const runs = new Map<boolean, Promise<ManyTerminalsRun[]>>();

function manyTerminals(ctx: BenchContext): Promise<ManyTerminalsRun[]> {
  let run = runs.get(ctx.quick);
  if (!run) {
    run = (async () => {
      const results: ManyTerminalsRun[] = [];
      for (const engine of ENGINES) results.push(await runEngine(ctx, engine));
      return results;
    })();
    runs.set(ctx.quick, run);
  }
  return run;
}

export const manyTerminalsScenario: Scenario = {
  id: 'many-terminals',
  number: 6,
  title: '100 terminals at once',
  async run(ctx): Promise<ScenarioOutcome> {
    const results = await manyTerminals(ctx);
    const figures: Figure[] = results.flatMap((result) => {
      const name = ENGINE_NAMES[result.engine];
      return [
        { label: `${name} push p99`, value: result.pushP99, unit: 'ms' },
        { label: `${name} push errors`, value: result.errors, unit: 'errors' },
        {
          label: `${name} streams that saw changes (of ${String(result.terminals)})`,
          value: result.streamsWithChanges,
          unit: 'count',
        },
        {
          label: `${name} change events a stream heard`,
          value: Math.round((result.changeEvents / Math.max(1, result.terminals)) * 10) / 10,
          unit: 'count',
        },
      ] satisfies Figure[];
    });
    const first = results[0];
    return {
      figures,
      details: { runs: results },
      notes: [
        `${String(first?.terminals ?? 0)} terminals (demo enrolment, ENROL_RATE_LIMIT=1000 so one machine may enrol them all), each holding GET ${API_PREFIX}/sync/stream open and pushing a one-line sale (1-2 codes issued under its key) every second for ${String(first?.seconds ?? 0)} s, starts spread over the first second; push latency is the whole HTTP round trip from this process.`,
        'Light HTTP clients (test/support/api-terminal.ts), not RxDB tills: they do not pull after a change event, so the figures are the push and stream side only.',
        'A change event is a pull for a real till. Since the eleventh round a push tells only the pushing terminal, whose own codes changed (the other tills do not pull them): each stream hears its own pushes, at most one event a push, instead of one for every 100 ms window in which any till of the store pushed.',
        'Push p50 and max, change events in all and the error samples are in the JSON.',
      ],
    };
  },
};

export const serverMemoryScenario: Scenario = {
  id: 'server-memory',
  number: 8,
  title: 'Memory: server',
  async run(ctx): Promise<ScenarioOutcome> {
    const results = await manyTerminals(ctx);
    return {
      figures: results.flatMap((result) => {
        const name = ENGINE_NAMES[result.engine];
        return [
          { label: `${name} server idle RSS`, value: result.idleMb, unit: 'MB' },
          {
            label: `${name} server peak RSS, ${String(result.terminals)} terminals`,
            value: result.peakMb,
            unit: 'MB',
          },
        ] satisfies Figure[];
      }),
      details: {
        runs: results.map(({ engine, terminals, seconds, idleMb, peakMb }) => ({
          engine,
          terminals,
          seconds,
          idleMb,
          peakMb,
        })),
      },
      notes: [
        'Measured in the run of item 6 (the same server processes, not a second load): idle is the resident set of the freshly started server before any terminal; the peak is sampled every 100 ms from the first enrolment to the end of the pushes (/proc VmRSS, the whole Node process).',
      ],
    };
  },
};
