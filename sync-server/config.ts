import { resolve } from 'node:path';
import { z } from 'zod';
import { CurrencyCode } from '../shared/money.ts';
import type { RateLimits } from './deps.ts';
import type { LimitStore } from './http/rate-limit-store.ts';
import { DEFAULT_MAIL_FROM } from './mail/choose-mailer.ts';
import { parseMailbox } from './mail/mailer.ts';
import { DEFAULT_PRINTER_PORT } from './printing/printer-address.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A limit in requests per minute from one address. */
const perMinute = z
  .string()
  .regex(/^\d{1,7}$/)
  .transform(Number)
  .pipe(z.number().min(1).max(1_000_000))
  .optional();

/** Each variable's rule carries the sentence that tells an operator how to fix it. */
const Env = z.object({
  PORT: z
    .string()
    .regex(/^\d{1,5}$/)
    .transform(Number)
    .pipe(z.number().max(65535))
    .optional()
    .meta({ fix: 'Use a whole number from 0 to 65535, e.g. PORT=8787 (0 picks a free port).' }),
  HOST: z
    .string()
    .trim()
    .min(1)
    .optional()
    .meta({ fix: 'Use a host name or address to listen on, e.g. HOST=127.0.0.1 or HOST=0.0.0.0.' }),
  DATA_DIR: z
    .string()
    .trim()
    .min(1)
    .optional()
    .meta({ fix: 'Use a folder the server may write to, e.g. DATA_DIR=./data.' }),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional()
    .meta({
      fix: 'Use the address customers open, with http:// or https://, e.g. PUBLIC_URL=https://shop.example.com.',
    }),
  DEMO: z
    .enum(['1', '0', ''])
    .transform((value) => value === '1')
    .optional()
    .meta({ fix: 'Set DEMO=1 to enable demo mode, or leave it unset.' }),
  STORE_NAME: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .optional()
    .meta({ fix: 'Use 1 to 120 characters, e.g. STORE_NAME="Corner Pharmacy".' }),
  STORE_CURRENCY: CurrencyCode.optional().meta({
    fix: 'Use a three-letter ISO 4217 code in capitals, e.g. STORE_CURRENCY=EUR.',
  }),
  LOG_LEVEL: z
    .enum(LOG_LEVELS)
    .optional()
    .meta({ fix: `Use one of ${LOG_LEVELS.join(', ')}, e.g. LOG_LEVEL=info.` }),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, hostname: /^[^\s]+$/ })
    .optional()
    .meta({
      fix: 'Use smtp://host:port or smtps://user:password@host:465 (percent-encode @ or : in the password), or leave it unset to write e-mails to DATA_DIR/mail.',
    }),
  MAIL_FROM: z
    .string()
    .trim()
    .refine((text) => parseMailbox(text) !== null)
    .optional()
    .meta({
      fix: `Use an address, with or without a name, e.g. MAIL_FROM="${DEFAULT_MAIL_FROM}".`,
    }),
  PROVISIONAL_CLAIM_DAYS: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().min(1).max(365))
    .optional()
    .meta({
      fix: 'Use a whole number of days from 1 to 365, e.g. PROVISIONAL_CLAIM_DAYS=7.',
    }),
  STRIPE_SECRET_KEY: z
    .string()
    .trim()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,250}$/)
    .optional()
    .meta({
      fix: 'Use the secret key from the Stripe dashboard, e.g. STRIPE_SECRET_KEY=sk_test_… (test mode), or leave it unset to take cash only.',
    }),
  PRINTER_PORTS: z
    .string()
    .regex(/^\s*\d{1,5}\s*(,\s*\d{1,5}\s*)*$/)
    .transform((list) => list.split(',').map((port) => Number(port.trim())))
    .pipe(z.array(z.number().int().min(1).max(65535)))
    .optional()
    .meta({
      fix: 'List the TCP ports receipt printers listen on, separated by commas, e.g. PRINTER_PORTS=9100,9101.',
    }),
  PORTAL_RATE_LIMIT: perMinute.meta({
    fix: 'Use a whole number of requests per minute from 1 to 1000000, e.g. PORTAL_RATE_LIMIT=30.',
  }),
  ENROL_RATE_LIMIT: perMinute.meta({
    fix: 'Use a whole number of requests per minute from 1 to 1000000, e.g. ENROL_RATE_LIMIT=10.',
  }),
  RATE_LIMIT_STORE: z.enum(['memory', 'database']).optional().meta({
    fix: 'Use RATE_LIMIT_STORE=database when several server instances share one PostgreSQL, or RATE_LIMIT_STORE=memory when one instance serves; or leave it unset (SQLite: memory, PostgreSQL: database).',
  }),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .optional()
    .meta({
      fix: 'Use a PostgreSQL connection URL, e.g. DATABASE_URL=postgres://entitle:secret@db.example.com:5432/entitle (percent-encode @ or : in the password), or leave it unset to keep the data in DATA_DIR/entitle.sqlite.',
    }),
  STRIPE_API_BASE: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional()
    .meta({
      fix: 'Only for the local fake Stripe in tests and the demo: an http(s) URL like STRIPE_API_BASE=http://127.0.0.1:12111, used with a sk_test_ key. Leave it unset for Stripe itself.',
    }),
});
type EnvName = keyof typeof Env.shape;

export type Config = {
  readonly port: number;
  readonly host: string;
  /** Absolute; holds entitle.sqlite and keys/. */
  readonly dataDir: string;
  /**
   * Base of redemption links: `<publicUrl>/redeem/<code>`. No trailing slash. Absent only for
   * PORT=0 without PUBLIC_URL: the server fills it in once it knows its port.
   */
  readonly publicUrl?: string;
  readonly demo: boolean;
  /** Name and currency of the store created on first start (outside demo mode). */
  readonly storeName: string;
  readonly storeCurrency: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Where e-mails are sent; unset: written as .eml files to DATA_DIR/mail. */
  readonly smtpUrl?: string;
  /** The From header of every e-mail. */
  readonly mailFrom: string;
  /** How long a code claimed before its sale arrived waits for the sale (issue #3). */
  readonly provisionalClaimDays: number;
  /** The only ports the web POS's print relay connects to (printing/routes.ts); default 9100. */
  readonly printerPorts: readonly number[];
  /** Card payments (payments/stripe-gateway.ts); unset: the counter takes cash only. */
  readonly stripeSecretKey?: string;
  /** Another Stripe API host: the local fake only, and only with a test key. */
  readonly stripeApiBase?: string;
  /** PostgreSQL (DATABASE_URL); unset: SQLite in DATA_DIR/entitle.sqlite. */
  readonly databaseUrl?: string;
  /**
   * PORTAL_RATE_LIMIT, ENROL_RATE_LIMIT: requests per minute from one address, where set (the
   * defaults are app.ts's). Raised for a load test from one machine (bench/load/), or behind a
   * proxy that makes every customer one address.
   */
  readonly rateLimits?: Partial<RateLimits>;
  /**
   * RATE_LIMIT_STORE: where the per-address and per-code limits count. `database` (rows shared
   * by every instance; PostgreSQL's default) or `memory` (this process; SQLite's default, and
   * right on PostgreSQL only when one instance serves: several would each allow the limit).
   */
  readonly limitStore?: LimitStore;
};

/** Thrown when an environment variable is wrong; the message names it and says how to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Variables that may hold a password are shown with it masked. */
function shown(name: EnvName, value: string | undefined): string {
  if (name === 'STRIPE_SECRET_KEY' && value !== undefined) {
    return JSON.stringify(`${value.slice(0, 8)}***`);
  }
  const masked =
    name === 'SMTP_URL' || name === 'DATABASE_URL'
      ? value?.replace(/^([^/]*\/\/[^/:@]*:)[^/]*@/, '$1***@')
      : value;
  return JSON.stringify(masked);
}

function fixFor(name: EnvName): string {
  const meta = Env.shape[name].meta();
  return typeof meta?.['fix'] === 'string' ? meta['fix'] : '';
}

/** Reads the configuration from the environment; every wrong variable is reported at once. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const picked = Object.fromEntries(
    Object.keys(Env.shape).map((name) => [name, env[name]] as const),
  );
  const parsed = Env.safeParse(picked);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    const lines = names.map((name) => {
      const variable = name as EnvName;
      return `${variable}=${shown(variable, env[variable])} is not valid. ${fixFor(variable)}`;
    });
    throw new ConfigError(`The server cannot start:\n- ${lines.join('\n- ')}`);
  }
  const vars = parsed.data;
  // A live key sent to some other host would hand real card powers to whoever runs it.
  if (vars.STRIPE_API_BASE !== undefined && !vars.STRIPE_SECRET_KEY?.startsWith('sk_test_')) {
    throw new ConfigError(
      `The server cannot start:\n- STRIPE_API_BASE=${JSON.stringify(vars.STRIPE_API_BASE)} needs a test key: set STRIPE_SECRET_KEY=sk_test_… with it, or unset STRIPE_API_BASE to use Stripe itself.`,
    );
  }
  const port = vars.PORT ?? 8787;
  return {
    port,
    host: vars.HOST ?? '127.0.0.1',
    dataDir: resolve(vars.DATA_DIR ?? 'data'),
    ...(vars.PUBLIC_URL !== undefined || port !== 0
      ? { publicUrl: vars.PUBLIC_URL ?? `http://localhost:${port}` }
      : {}),
    demo: vars.DEMO ?? false,
    storeName: vars.STORE_NAME ?? 'My shop',
    storeCurrency: vars.STORE_CURRENCY ?? 'EUR',
    logLevel: vars.LOG_LEVEL ?? 'info',
    ...(vars.SMTP_URL === undefined ? {} : { smtpUrl: vars.SMTP_URL }),
    mailFrom: vars.MAIL_FROM ?? DEFAULT_MAIL_FROM,
    provisionalClaimDays: vars.PROVISIONAL_CLAIM_DAYS ?? 7,
    printerPorts: vars.PRINTER_PORTS ?? [DEFAULT_PRINTER_PORT],
    ...(vars.STRIPE_SECRET_KEY === undefined ? {} : { stripeSecretKey: vars.STRIPE_SECRET_KEY }),
    ...(vars.STRIPE_API_BASE === undefined ? {} : { stripeApiBase: vars.STRIPE_API_BASE }),
    ...(vars.DATABASE_URL === undefined ? {} : { databaseUrl: vars.DATABASE_URL }),
    ...(vars.RATE_LIMIT_STORE === undefined ? {} : { limitStore: vars.RATE_LIMIT_STORE }),
    ...(vars.PORTAL_RATE_LIMIT === undefined && vars.ENROL_RATE_LIMIT === undefined
      ? {}
      : {
          rateLimits: {
            ...(vars.PORTAL_RATE_LIMIT === undefined ? {} : { portal: vars.PORTAL_RATE_LIMIT }),
            ...(vars.ENROL_RATE_LIMIT === undefined ? {} : { enrol: vars.ENROL_RATE_LIMIT }),
          },
        }),
  };
}
