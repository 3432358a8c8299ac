/**
 * `npm run server`                   start the sync server (env: see config.ts / README.md)
 * `npm run server -- pairing-code`   print a new pairing code for the store and exit
 * `npm run server -- create-admin <email> [name]`   an admin of every store, password printed once
 * `npm run server -- backup <file> [--overwrite]`   a checked backup, while the server runs
 * `npm run server -- restore <file>`   puts a backup in place (the server stopped)
 *
 * The only file that writes to the terminal directly: a few human lines on stdout, structured
 * JSON logs through fastify's logger, configuration problems on stderr.
 */
import { startServer } from './app.ts';
import { BACKUP_USAGE, runBackupCommand } from './backup/commands.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { CreateAdminRefused, createAdmin } from './dashboard/create-admin.ts';
import { openDataDir } from './data-dir.ts';
import { systemClock, systemRandomBytes } from './deps.ts';
import { PAIRING_CODE_TTL_MS, createPairingCode } from './enrol/pairing-codes.ts';
import type { PaymentGateway } from './payments/gateway.ts';
import { createStripeGateway } from './payments/stripe-gateway.ts';

type Say = (line: string) => void;

const say: Say = (line) => {
  process.stdout.write(`${line}\n`);
};

async function printPairingCode(config: Config): Promise<void> {
  const deps = { clock: systemClock, randomBytes: systemRandomBytes };
  const { db, store } = await openDataDir({ ...config, preferExistingStore: true }, deps);
  try {
    const pairing = await createPairingCode(db, store.id, deps);
    const hours = PAIRING_CODE_TTL_MS / 3_600_000;
    say(`Pair a terminal with code ${pairing.code} (valid ${hours} hours) for ${store.name}`);
  } finally {
    await db.destroy();
  }
}

async function printNewAdmin(config: Config, email: string, name: string | undefined) {
  const deps = { clock: systemClock, randomBytes: systemRandomBytes };
  const { db } = await openDataDir({ ...config, preferExistingStore: true }, deps);
  try {
    const { staff, password } = await createAdmin(db, { email, name }, deps);
    const base = config.publicUrl ?? `http://localhost:${String(config.port)}`;
    say(`Created ${staff.name}, an admin of every store, signing in as ${staff.email ?? email}`);
    say(`Password (shown only now; keep it safe): ${password}`);
    say(`Sign in at ${base}/dashboard/signin`);
  } catch (error) {
    if (error instanceof CreateAdminRefused) throw new ConfigError(error.message);
    throw error;
  } finally {
    await db.destroy();
  }
}

/** The card processor when STRIPE_SECRET_KEY is set; otherwise the counter takes cash only. */
function paymentsOf(config: Config): PaymentGateway | null {
  if (config.stripeSecretKey === undefined) {
    say('Card payments are off (no STRIPE_SECRET_KEY): the counter takes cash');
    return null;
  }
  const { gateway, simulator } = createStripeGateway({
    secretKey: config.stripeSecretKey,
    ...(config.stripeApiBase === undefined ? {} : { apiBase: config.stripeApiBase }),
  });
  const mode = config.stripeSecretKey.includes('_test_') ? 'test mode' : 'LIVE';
  say(
    simulator
      ? `Card payments go to the fake Stripe at ${config.stripeApiBase ?? ''} (simulated reader, no real card is charged)`
      : `Card payments go to Stripe (${mode})`,
  );
  return gateway;
}

async function serve(config: Config): Promise<void> {
  const server = await startServer({ ...config, say, payments: paymentsOf(config) });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.stop().then(
      () => {
        // Everything of ours is closed; idle keep-alive sockets of departed clients must not
        // hold the process open for seconds (a supervisor waits for the exit).
        process.exit(0);
      },
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(args: readonly string[]): Promise<void> {
  const command = args[0] ?? 'serve';
  const config = loadConfig(process.env);
  if (command === 'pairing-code') return printPairingCode(config);
  if (command === 'create-admin') {
    if (args[1] === undefined) {
      throw new ConfigError('Give the e-mail: npm run server -- create-admin <email> [name]');
    }
    return printNewAdmin(config, args[1], args.slice(2).join(' ') || undefined);
  }
  if (command === 'backup' || command === 'restore') {
    const deps = { say, clock: systemClock, env: process.env };
    await runBackupCommand(command, config, args.slice(1), deps);
    return;
  }
  if (command === 'serve') return serve(config);
  throw new ConfigError(
    `Unknown command "${command}". Use \`npm run server\`, \`npm run server -- pairing-code\`, \`npm run server -- create-admin <email> [name]\` or ${BACKUP_USAGE}.`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : `The sync server stopped: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
