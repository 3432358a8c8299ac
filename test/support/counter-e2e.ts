import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startWebPosServer, type WebPosServer } from '../../scripts/web-pos-server.ts';
import { startFakeStripe, type FakeStripe } from '../fake-stripe/fake-stripe.ts';
import { freePort } from './free-port.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { DEMO_CASHIER, signIn } from './staff-e2e.ts';

export type CounterServer = {
  readonly server: ServerProcess;
  /** The built POS (dist/renderer) served to the browser, pointed at `server`. */
  readonly pos: WebPosServer;
  readonly dataDir: string;
  /** The fake Stripe the server's card payments go to; only with `fakeStripe: true`. */
  readonly fake: FakeStripe;
};

export type CounterServerOptions = {
  /** `false`: neither the server nor the POS is a demo (the terminal must enrol with a code). */
  readonly demo?: boolean;
  /** Extra server environment, read when the server starts (after earlier `beforeAll`s). */
  readonly env?: () => Record<string, string>;
  /** Start a fake Stripe first and point the server's card payments at it (a test key). */
  readonly fakeStripe?: boolean;
};

/**
 * A real sync server (its own process, e-mail written to `<dataDir>/mail/`) and the built POS
 * served to the browser, for the specs of one file: started before them, stopped and their data
 * removed after. Read the fields inside tests. A test may stop the server itself; stopping it
 * again afterwards is harmless.
 */
export function useCounterServer(name: string, options: CounterServerOptions = {}): CounterServer {
  let dataDir = '';
  let fake: FakeStripe | undefined;
  let server: ServerProcess | undefined;
  let pos: WebPosServer | undefined;
  test.beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), `entitle-${name}-`));
    if (options.fakeStripe === true) fake = await startFakeStripe();
    server = await startServerProcess({
      dataDir,
      port: await freePort(),
      demo: options.demo !== false,
      env: {
        ...(fake ? { STRIPE_SECRET_KEY: 'sk_test_entitlee2e', STRIPE_API_BASE: fake.url } : {}),
        ...options.env?.(),
      },
    });
    pos = await startWebPosServer({
      rendererDir: 'dist/renderer',
      serverUrl: server.url,
      demo: options.demo !== false,
    });
  });
  test.afterAll(async () => {
    await server?.stop();
    await pos?.close();
    await fake?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get server() {
      if (server === undefined) throw new Error('The sync server has not started yet.');
      return server;
    },
    get pos() {
      if (pos === undefined) throw new Error('The POS has not started yet.');
      return pos;
    },
    get dataDir() {
      return dataDir;
    },
    get fake() {
      if (fake === undefined) throw new Error('No fake Stripe: pass { fakeStripe: true }.');
      return fake;
    },
  };
}

/**
 * Opens the POS in `till`, waits until it is online (demo terminals enrol themselves) and signs
 * in as the demo cashier (opening a shift if the terminal asks for one).
 */
export async function openTill(till: Page, shop: CounterServer): Promise<void> {
  await till.goto(shop.pos.url);
  await expect(till.getByTestId('online-status')).toHaveText('Online');
  await signIn(till, DEMO_CASHIER);
}

/** How many documents the terminal has waiting to sync, from the status bar. */
export async function pendingCount(page: Page): Promise<number> {
  // No data-count until the till has counted, nor while it counts again after a write: NaN, so
  // a poll for 0 keeps waiting instead of reading a count from before the write.
  const count = await page.getByTestId('pending-count').getAttribute('data-count');
  return count === null ? Number.NaN : Number(count);
}
