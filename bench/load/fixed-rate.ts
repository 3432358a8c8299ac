import autocannon from 'autocannon';
import { rounded } from '../kit/stats.ts';

/** One request of a load run: what a customer's phone sends. */
export type LoadRequest = {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
};

/** One row of a load run: latency in ms, errors. */
export type RateRow = {
  readonly kind: string;
  readonly rate: number;
  readonly seconds: number;
  readonly answered: number;
  /** How long sending and answering them all took, in seconds. */
  readonly took: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Answers other than 2xx, plus connection errors and timeouts. */
  readonly errors: number;
  readonly statuses: Readonly<Record<string, number>>;
};

/** What a load run sends, how fast, for how long. */
export type RateOptions = {
  readonly url: string;
  readonly kind: string;
  readonly rate: number;
  readonly seconds: number;
  /** Most keep-alive connections open at once. */
  readonly connections: number;
  readonly next: () => LoadRequest;
};

/**
 * The first two rounds' generator, kept to compare with them (`BENCH_LOAD_GENERATOR=autocannon`
 * in profile-redeem.ts): autocannon's overallRate over `connections` keep-alive connections.
 * It is not an even load (each connection sends its share of a second back to back, then idles),
 * and its "corrected" latency adds a sample for every millisecond of a slow answer; the
 * benchmark uses open-loop.ts.
 */
export async function atFixedRate(options: RateOptions): Promise<RateRow> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    overallRate: options.rate,
    // A number of requests, not a duration: a run ends once every request was answered (or timed
    // out), so requests still waiting when the time is up are not silently left out.
    amount: Math.round(options.rate * options.seconds),
    timeout: 10,
    requests: [
      {
        setupRequest: (request) => {
          const next = options.next();
          return {
            ...request,
            method: next.method,
            path: next.path,
            headers: { ...next.headers },
            ...(next.body === undefined ? {} : { body: next.body }),
          };
        },
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[status] = stats.count ?? 0;
  }
  return {
    kind: options.kind,
    rate: options.rate,
    seconds: options.seconds,
    answered: result.requests.total,
    took: rounded((result.finish.getTime() - result.start.getTime()) / 1000),
    p50: rounded(result.latency.p50),
    p99: rounded(result.latency.p99),
    max: rounded(result.latency.max),
    errors: result.non2xx + result.errors,
    statuses,
  };
}
