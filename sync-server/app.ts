/**
 * The sync server as a value. Two entry points:
 *
 *   buildServer(deps: BuildServerDeps): Promise<FastifyInstance>
 *     The routes over a database you opened (tests: `:memory:` + an injected clock, then
 *     `app.inject(...)`). Closing the app ends live streams; it does not close the database.
 *
 *   startServer(options: StartServerOptions): Promise<RunningServer>
 *     A real server on a data directory and port, as `npm run server` runs it: migrations, the
 *     store, a fresh pairing code, listening, then the outbox worker polling (e-mails).
 *     `await running.stop()` stops the worker, closes the server and then the database.
 *     e.g. `const s = await startServer({ dataDir, port: 0, demo: true }); fetch(`${s.url}/health`)`
 *     E-mail options: `smtpUrl` (SMTP_URL; unset: .eml files in `<dataDir>/mail`), `mailFrom`
 *     (MAIL_FROM, default `Entitle <no-reply@localhost>`), `outboxPollMs` (default 2000).
 *
 * buildServer starts no timers: side effects wait in the outbox table until a worker runs
 * (outbox/app-outbox.ts; tests call `runOnce()` themselves).
 *
 * See sync-server/README.md.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import packageJson from '../package.json' with { type: 'json' };
import {
  API_PREFIX,
  GENERATION_HEADER,
  PENDING_HEADER,
  PROTOCOL_HEADER,
} from '../shared/schemas/protocol.ts';
import type { Config } from './config.ts';
import type { Store } from './catalogue/stores.ts';
import { openDataDir } from './data-dir.ts';
import { isPostgres } from './db/connection.ts';
import type { Db } from './db/schema.ts';
import {
  publicUrlOf,
  systemClock,
  systemRandomBytes,
  type AppContext,
  type Clock,
  type RandomBytes,
  type RateLimits,
} from './deps.ts';
import {
  PAIRING_CODE_TTL_MS,
  createPairingCode,
  type NewPairingCode,
} from './enrol/pairing-codes.ts';
import { customerRoutes } from './customers/routes.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { dashboardDataRoutes } from './dashboard/sales/data-routes.ts';
import { enrolRoutes } from './enrol/routes.ts';
import { DEFAULT_PROVISIONAL_CLAIM_DAYS } from './entitlements/provisional-claims.ts';
import { startProvisionalSweep } from './entitlements/provisional-sweep.ts';
import { ensureGeneration } from './generation/generation.ts';
import { giftCardRoutes } from './gift-cards/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { HttpError, rateLimited, sendApiError } from './http/errors.ts';
import { loggerOptions } from './http/logging.ts';
import { databaseRateLimitStore, type LimitStore } from './http/rate-limit-store.ts';
import { refuseNulCharacters } from './http/nul-guard.ts';
import { licenceKeyRoutes } from './licences/routes.ts';
import { staffHints } from './staff/staff-hints.ts';
import { DEFAULT_MAIL_FROM, chooseMailer } from './mail/choose-mailer.ts';
import { onboardingRoutes } from './onboarding/routes.ts';
import { paymentRoutes } from './payments/routes.ts';
import type { PaymentGateway } from './payments/gateway.ts';
import { createAppOutbox } from './outbox/app-outbox.ts';
import { DEFAULT_PRINTER_PORT } from './printing/printer-address.ts';
import { printingRoutes } from './printing/routes.ts';
import { receiptRoutes } from './receipts/routes.ts';
import type { OutboxWorker } from './outbox/worker.ts';
import { redeemRoutes } from './redeem/routes.ts';
import { refundRoutes } from './refunds/routes.ts';
import { staffConsumeRoutes } from './redeem/staff-routes.ts';
import {
  createMemoryNotifier,
  tellStatusOwner,
  type ChangeNotifier,
} from './sync/change-notifier.ts';
import { chooseNotifier, type ChosenNotifier } from './sync/pg-notifier.ts';
import { syncRoutes } from './sync/routes.ts';

export type BuildServerDeps = {
  readonly db: Db;
  /** 32 bytes; seals the terminals' code keys (keys/seal.ts). */
  readonly masterKey: Uint8Array;
  readonly demo?: boolean;
  /** PUBLIC_URL: the base of redemption links handed to terminals (a function if known late). */
  readonly publicUrl?: string | (() => string);
  readonly clock?: Clock;
  readonly randomBytes?: RandomBytes;
  readonly notifier?: ChangeNotifier;
  /** Fastify logger options; default: no logging. */
  readonly logger?: FastifyServerOptions['logger'];
  readonly rateLimits?: Partial<RateLimits>;
  /** RATE_LIMIT_STORE; default: `memory` on SQLite (one instance), `database` on PostgreSQL. */
  readonly limitStore?: LimitStore;
  /** Interval of the `: ping` comment on live streams. */
  readonly heartbeatMs?: number;
  /** PROVISIONAL_CLAIM_DAYS: how long a claimed code may wait for its sale (default 7). */
  readonly provisionalClaimDays?: number;
  /** Card payments (payments/stripe-gateway.ts); absent: the counter takes cash only. */
  readonly payments?: PaymentGateway | null;
  /** PRINTER_PORTS: the ports the print relay may reach; default 9100. */
  readonly printerPorts?: readonly number[];
};

const BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_RATE_LIMITS: RateLimits = { enrol: 10, portal: 30 };

function isCorsPath(url: string): boolean {
  return url.startsWith(`${API_PREFIX}/`) || url === '/health' || url.startsWith('/health?');
}

export async function buildServer(deps: BuildServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // On shutdown, end keep-alive and in-flight connections too: terminals retry, and a
    // supervisor restarting the server should not wait on them.
    forceCloseConnections: true,
    // A URL the router cannot decode (a broken %-escape, an over-long segment) gets the same
    // JSON error shape as every other refusal, not fastify's own.
    frameworkErrors: (error, request, reply) => {
      void sendApiError(error, request, reply);
    },
  });
  const ctx: AppContext = {
    db: deps.db,
    masterKey: deps.masterKey,
    clock: deps.clock ?? systemClock,
    randomBytes: deps.randomBytes ?? systemRandomBytes,
    notifier:
      deps.notifier ??
      createMemoryNotifier((error) => {
        app.log.error({ err: error }, 'change listener failed');
      }),
    demo: deps.demo ?? false,
    publicUrl: publicUrlOf(deps.publicUrl),
    version: packageJson.version,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits },
    limitStore: deps.limitStore ?? (isPostgres(deps.db) ? 'database' : 'memory'),
    heartbeatMs: deps.heartbeatMs ?? 15_000,
    payments: deps.payments ?? null,
  };

  app.decorateRequest('terminal', null);
  // Read once: only `restore` renews it, and it refuses while a server runs. Terminals that see
  // it change push everything again (generation/generation.ts).
  const generation = String(await ensureGeneration(ctx.db));
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith(`${API_PREFIX}/`)) reply.header(GENERATION_HEADER, generation);
    done();
  });
  app.setErrorHandler(sendApiError);
  app.addHook('preHandler', refuseNulCharacters);
  app.setNotFoundHandler((request, reply) =>
    sendApiError(
      new HttpError(
        404,
        'not_found',
        `There is no ${request.method} ${request.url.split('?')[0] ?? ''} on this server. Check the server address and update the app.`,
      ),
      request,
      reply,
    ),
  );

  // Terminals authenticate with bearer tokens, never cookies, so any origin may call the API
  // (the web POS may be served from anywhere). The portal is same-origin HTML: no CORS.
  await app.register(cors, {
    delegator: (request, callback) => {
      callback(
        null,
        isCorsPath(request.url)
          ? {
              origin: '*',
              methods: ['GET', 'POST', 'OPTIONS'],
              allowedHeaders: ['authorization', 'content-type', PROTOCOL_HEADER, PENDING_HEADER],
              exposedHeaders: [GENERATION_HEADER],
              maxAge: 600,
            }
          : { origin: false },
      );
    },
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => rateLimited(context.after),
    // Several instances may serve one PostgreSQL: they count in one table, not each in memory.
    ...(ctx.limitStore === 'database' ? { store: databaseRateLimitStore(ctx.db, ctx.clock) } : {}),
  });

  healthRoutes(app, ctx);
  enrolRoutes(app, ctx);
  await syncRoutes(app, ctx);
  await giftCardRoutes(app, ctx);
  await redeemRoutes(app, ctx);
  await customerRoutes(app, ctx, {
    provisionalClaimDays: deps.provisionalClaimDays ?? DEFAULT_PROVISIONAL_CLAIM_DAYS,
  });
  await onboardingRoutes(app, ctx);
  licenceKeyRoutes(app, ctx);
  await staffConsumeRoutes(app, ctx);
  await paymentRoutes(app, ctx);
  await printingRoutes(app, ctx, { allowedPorts: deps.printerPorts ?? [DEFAULT_PRINTER_PORT] });
  await receiptRoutes(app, ctx);
  await refundRoutes(app, ctx);
  await dashboardRoutes(app, ctx);
  await dashboardDataRoutes(app, ctx);
  return app;
}

export type StartServerOptions = Partial<Omit<Config, 'dataDir'>> & {
  /** Holds entitle.sqlite and keys/; created if missing. */
  readonly dataDir: string;
  readonly clock?: Clock;
  readonly randomBytes?: RandomBytes;
  /** Where the few human lines go (pairing code, address); default: nowhere. */
  readonly say?: (line: string) => void;
  readonly rateLimits?: Partial<RateLimits>;
  /** Pause between outbox runs (e-mails); default 2000. */
  readonly outboxPollMs?: number;
  /** Pause between sweeps of provisional claims past their deadline; default 60000. */
  readonly provisionalSweepMs?: number;
  /** Card payments (main.ts builds it from STRIPE_SECRET_KEY); absent: cash only. */
  readonly payments?: PaymentGateway | null;
};

export type RunningServer = {
  readonly app: FastifyInstance;
  readonly db: Db;
  /** `http://<host>:<actual port>`; with `port: 0` the port the system picked. */
  readonly url: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly store: Store;
  /** Created at start, as the CLI prints it ("ABCD-1234"); enrol a terminal with it. */
  readonly pairingCode: NewPairingCode;
  /** Delivers e-mails; already polling. `runOnce()` delivers what is due now. */
  readonly outbox: OutboxWorker;
  /** How live streams hear of changes: LISTEN/NOTIFY across instances on PostgreSQL. */
  readonly notifierKind: ChosenNotifier['kind'];
  /** Stops the outbox, closes the server (ending live streams) and then the database. Safe to call twice. */
  stop(): Promise<void>;
};

async function listen(app: FastifyInstance, port: number, host: string): Promise<void> {
  try {
    await app.listen({ port, host });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      throw new Error(
        `Port ${port} on ${host} is already in use. Stop the other server or set PORT to a free port.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Runs a real server, as `npm run server` does; logging is silent unless `logLevel` is given. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  const say = options.say ?? (() => undefined);
  const demo = options.demo ?? false;
  let app: FastifyInstance | undefined;
  const { db, masterKey, store } = await openDataDir(
    {
      dataDir: options.dataDir,
      demo,
      storeName: options.storeName ?? 'My shop',
      storeCurrency: options.storeCurrency ?? 'EUR',
      databaseUrl: options.databaseUrl,
      // PostgreSQL restarted or failed over: the pool replaces the connection; say so in the log.
      onIdleError: (error) => {
        app?.log.warn({ err: error }, 'a database connection broke; the pool opens a new one');
      },
    },
    { clock, randomBytes },
  );
  // With port 0 the real port is known only after listening, so the default is computed late.
  let publicUrl = options.publicUrl ?? `http://localhost:${options.port ?? 8787}`;
  // Made here, not in buildServer, so the sweep can tell terminals about codes it expired.
  // On PostgreSQL other instances may serve the store's terminals: LISTEN/NOTIFY reaches them.
  const logError = (error: unknown, message: string): void => {
    app?.log.error({ err: error }, message);
  };
  let chosen: ChosenNotifier;
  try {
    chosen = await chooseNotifier({ db, databaseUrl: options.databaseUrl, log: logError });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const { notifier } = chosen;
  try {
    app = await buildServer({
      db,
      masterKey,
      demo,
      notifier,
      publicUrl: () => publicUrl,
      clock,
      randomBytes,
      logger: loggerOptions(options.logLevel ?? 'silent'),
      ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
      ...(options.limitStore ? { limitStore: options.limitStore } : {}),
      ...(options.provisionalClaimDays === undefined
        ? {}
        : { provisionalClaimDays: options.provisionalClaimDays }),
      ...(options.payments ? { payments: options.payments } : {}),
      ...(options.printerPorts ? { printerPorts: options.printerPorts } : {}),
    });
    const host = options.host ?? '127.0.0.1';
    await listen(app, options.port ?? 8787, host);
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const pairingCode = await createPairingCode(db, store.id, { clock, randomBytes });
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    publicUrl = options.publicUrl ?? `http://localhost:${port}`;
    say(
      `Pair a terminal with code ${pairingCode.code} (valid ${PAIRING_CODE_TTL_MS / 3_600_000} hours)`,
    );
    if (demo) say('Demo mode: terminals enrol themselves');
    for (const line of await staffHints(db, demo, publicUrl)) say(line);
    say(`Entitle sync server listening on ${url}`);
    say(`Customers redeem codes at ${publicUrl}/redeem`);
    say(`Managers sign in at ${publicUrl}/dashboard`);
    const mail = chooseMailer({
      smtpUrl: options.smtpUrl,
      mailFrom: options.mailFrom ?? DEFAULT_MAIL_FROM,
      dataDir: options.dataDir,
      clock,
    });
    say(mail.description);
    const running = app;
    const outbox = createAppOutbox({
      db,
      clock,
      randomBytes,
      masterKey,
      mailer: mail.mailer,
      publicUrl: publicUrlOf(() => publicUrl),
      logger: running.log,
      // Codes the outbox activates reach the terminals' streams, on every instance.
      notifier,
      // Refunds taken offline are refunded to the card by the outbox (refunds/card-refund-job.ts).
      ...(options.payments ? { payments: options.payments } : {}),
      ...(options.outboxPollMs === undefined ? {} : { pollMs: options.outboxPollMs }),
    });
    outbox.start();
    const sweep = startProvisionalSweep({
      db,
      clock,
      randomBytes,
      masterKey,
      logger: running.log,
      onChange: (owners) => {
        for (const owner of owners) tellStatusOwner(notifier, owner);
      },
      ...(options.provisionalSweepMs === undefined
        ? {}
        : { intervalMs: options.provisionalSweepMs }),
    });
    let stopped: Promise<void> | undefined;
    return {
      app: running,
      db,
      url,
      port,
      publicUrl,
      store,
      pairingCode,
      outbox,
      notifierKind: chosen.kind,
      stop: () =>
        (stopped ??= Promise.all([outbox.stop(), sweep.stop()])
          .then(() => running.close())
          .then(() => chosen.close())
          .finally(() => db.destroy())),
    };
  } catch (error) {
    await app?.close();
    await chosen.close();
    await db.destroy();
    throw error;
  }
}
