import http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { percentile, rounded } from '../kit/stats.ts';
import type { LoadRequest, RateOptions, RateRow } from './fixed-rate.ts';

/** What the generator itself did during a run: proof that it kept to its schedule. */
export type GeneratorHealth = {
  /** How late a request left this process after its scheduled time, ms (p50, p99, max). */
  readonly sendLagP50: number;
  readonly sendLagP99: number;
  readonly sendLagMax: number;
  /** This process's own event-loop delay during the run, ms. */
  readonly loopDelayP99: number;
  readonly loopDelayMax: number;
  /** Most requests in flight at once, and the keep-alive connections opened. */
  readonly inFlightMax: number;
  readonly connectionsOpened: number;
};

export type OpenLoopRow = RateRow & {
  /** From the moment a socket took the request to its last byte (excludes any generator lag). */
  readonly serviceP50: number;
  readonly serviceP99: number;
  readonly generator: GeneratorHealth;
};

/**
 * An open-loop load: request i is due at start + i / rate, whatever happened to the ones before
 * it (a phone does not wait for another phone's answer), and is sent on any free keep-alive
 * connection, a new one opened if none is free (up to `connections`, enough that none waits at
 * these rates). Latency is from the request's scheduled time to its answer's last byte: a slow
 * answer, a queue in the server, and any lateness of this generator all count (no coordinated
 * omission). The generator reports its own lateness (send lag, event-loop delay), so a run where
 * it, not the server, fell behind shows as such instead of passing for server latency.
 *
 * Unlike autocannon's overallRate (each connection sends its share of a second's requests back
 * to back at the start of each second, then idles, and its "corrected" histogram adds a sample
 * for every millisecond of a slow answer), the requests here are spread evenly over the second.
 */
export async function atOpenRate(options: RateOptions): Promise<OpenLoopRow> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  let connectionsOpened = 0;
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  const services: number[] = [];
  const lags: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let inFlight = 0;
  let inFlightMax = 0;
  let settled = 0;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();

  const send = (scheduled: number, request: LoadRequest, done: () => void): void => {
    lags.push(performance.now() - scheduled);
    inFlight += 1;
    inFlightMax = Math.max(inFlightMax, inFlight);
    let onSocket = performance.now();
    const finish = (status: string | null): void => {
      inFlight -= 1;
      const end = performance.now();
      if (status === null || !status.startsWith('2')) errors += 1;
      if (status !== null) {
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(end - scheduled);
        services.push(end - onSocket);
      }
      done();
    };
    const outgoing = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.path,
        headers: {
          ...request.headers,
          ...(request.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(request.body)) }),
        },
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        response.once('end', () => {
          finish(String(response.statusCode ?? 0));
        });
        response.once('error', () => {
          finish(null);
        });
      },
    );
    outgoing.once('socket', () => {
      onSocket = performance.now();
    });
    outgoing.once('timeout', () => {
      outgoing.destroy(new Error('timed out'));
    });
    outgoing.once('error', () => {
      finish(null);
    });
    outgoing.end(request.body);
  };
  const originalCreate = agent.createConnection.bind(agent);
  agent.createConnection = (...args: Parameters<typeof originalCreate>) => {
    connectionsOpened += 1;
    return originalCreate(...args);
  };

  const startWall = Date.now();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let sent = 0;
    const done = (): void => {
      settled += 1;
      if (settled === total) resolve();
    };
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        send(start + sent * interval, options.next(), done);
        sent += 1;
      }
      if (sent < total) {
        setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
      }
    };
    tick();
  });
  const took = (Date.now() - startWall) / 1000;
  loop.disable();
  agent.destroy();
  const last = (samples: readonly number[]): number => Math.max(0, ...samples);
  return {
    kind: options.kind,
    rate: options.rate,
    seconds: options.seconds,
    answered: latencies.length,
    took: rounded(took),
    p50: rounded(percentile(latencies, 50)),
    p99: rounded(percentile(latencies, 99)),
    max: rounded(last(latencies)),
    errors,
    statuses,
    serviceP50: rounded(percentile(services, 50)),
    serviceP99: rounded(percentile(services, 99)),
    generator: {
      sendLagP50: rounded(percentile(lags, 50)),
      sendLagP99: rounded(percentile(lags, 99)),
      sendLagMax: rounded(last(lags)),
      loopDelayP99: rounded(loop.percentile(99) / 1e6),
      loopDelayMax: rounded(loop.max / 1e6),
      inFlightMax,
      connectionsOpened,
    },
  };
}
