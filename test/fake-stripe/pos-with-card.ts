import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startWebPosServer, type WebPosServer } from '../../scripts/web-pos-server.ts';
import { freePort } from '../support/free-port.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startFakeStripe, type FakeStripe } from './fake-stripe.ts';

export type PosWithCard = {
  readonly fake: FakeStripe;
  readonly server: ServerProcess;
  readonly pos: WebPosServer;
  stop(): Promise<void>;
};

/**
 * For Playwright: the fake Stripe in this process, a real sync server process whose card
 * payments go to it (STRIPE_API_BASE with a test key), and the built POS served to the browser.
 */
export async function startPosWithCard(name: string): Promise<PosWithCard> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `entitle-${name}-`));
  const fake = await startFakeStripe();
  const server = await startServerProcess({
    dataDir,
    port: await freePort(),
    env: { STRIPE_SECRET_KEY: 'sk_test_entitlee2e', STRIPE_API_BASE: fake.url },
  });
  const pos = await startWebPosServer({
    rendererDir: 'dist/renderer',
    serverUrl: server.url,
    demo: true,
  });
  return {
    fake,
    server,
    pos,
    stop: async () => {
      await server.stop();
      await pos.close();
      await fake.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function pendingCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('pending-count').getAttribute('data-count'));
}
