import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type BrowserContextOptions, type Page } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { freePort } from './free-port.ts';
import { waitForEmail } from './mail-folder.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

/** The customer's phone: a small screen and no JavaScript, the portal's hardest case. */
export const PHONE: BrowserContextOptions = {
  javaScriptEnabled: false,
  viewport: { width: 390, height: 844 },
};

export type PortalServer = { readonly url: string; readonly dataDir: string };

/**
 * A real demo server (its own process, e-mail written to `<dataDir>/mail/`) for the specs of one
 * file: started before them, stopped and its data removed after. Read the fields inside tests.
 */
export function usePortalServer(name: string): PortalServer {
  let dataDir = '';
  let server: ServerProcess | undefined;
  test.beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), `entitle-${name}-`));
    server = await startServerProcess({ dataDir, port: await freePort() });
  });
  test.afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get url() {
      if (server === undefined) throw new Error('The portal server has not started yet.');
      return server.url;
    },
    get dataDir() {
      return dataDir;
    },
  };
}

/** Opens the newest magic link e-mailed after the first `after` ones, and presses Continue. */
export async function followMagicLink(page: Page, portal: PortalServer, after = 0): Promise<void> {
  const mail = await waitForEmail(portal.dataDir, 'magic-link-email', { after });
  const link = /https?:\/\/\S+\/auth\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? '')?.[0];
  expect(link).toBeDefined();
  await page.goto(link ?? '');
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Code page → e-mail → link from the .eml → signed in, as a customer does it. */
export async function claimByEmail(
  page: Page,
  portal: PortalServer,
  input: { readonly code: string; readonly email: string },
): Promise<void> {
  await page.goto(`${portal.url}/redeem/${formatCode(input.code)}`);
  await page.getByLabel('E-mail address').fill(input.email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  await followMagicLink(page, portal);
  await expect(page).toHaveURL(/\/account$/);
}
