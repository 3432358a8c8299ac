import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatCode } from '../../shared/code/entitlement-code.ts';
import { enrolApiTerminal } from '../support/api-terminal.ts';
import { freePort } from '../support/free-port.ts';
import { waitForEmail } from '../support/mail-folder.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const CUSTOMER = 'gala.guest@example.test';

let dataDir: string;
let server: ServerProcess;

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'entitle-ticket-'));
  server = await startServerProcess({ dataDir, port: await freePort() });
});

test.afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Code page → e-mail → link from the .eml → signed in, as a customer does it. */
async function claimByEmail(customer: Page, code: string): Promise<void> {
  await customer.goto(`${server.url}/redeem/${formatCode(code)}`);
  await customer.getByLabel('E-mail address').fill(CUSTOMER);
  await customer.getByRole('button', { name: 'Send me a link' }).click();
  await expect(customer.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  const mail = await waitForEmail(dataDir, 'magic-link-email');
  const link = /https?:\/\/\S+\/auth\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? '')?.[0];
  expect(link).toBeDefined();
  await customer.goto(link ?? '');
  await customer.getByRole('button', { name: 'Continue' }).click();
  await expect(customer).toHaveURL(/\/account$/);
}

test('a Winter Gala ticket is claimed on a phone, the attendee named, and it is active', async ({
  browser,
}) => {
  const till = await enrolApiTerminal(server.url);
  const sale = await till.makeSale([
    {
      productId: 'prod-winter-gala',
      name: 'Concert ticket — Winter Gala',
      kind: 'ticket',
      unitPrice: 4500,
      quantity: 1,
    },
  ]);
  await till.push('sales', [sale]);
  const code = sale.lines[0]?.codes[0] ?? '';

  const phone = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
  });
  const customer = await phone.newPage();
  await customer.goto(`${server.url}/redeem/${formatCode(code)}`);
  // The demo gala is always 30 days after the demo was seeded.
  await expect(
    customer.getByText(/Ticket for Winter Gala on \d+ \w+ \d{4} at 19:30 UTC/),
  ).toBeVisible();
  await claimByEmail(customer, code);

  await customer.goto(`${server.url}/account/codes/${code}`);
  await expect(customer.locator('dd[data-event-date]')).toContainText('19:30 UTC');
  await customer.getByRole('button', { name: 'Register' }).click();
  await expect(customer.getByText('Attendee name is required.')).toBeVisible();
  await customer.getByLabel('Attendee name').fill('Grace Hopper');
  await customer.getByRole('button', { name: 'Register' }).click();
  await expect(
    customer.getByRole('heading', { name: 'Registered — what happens next' }),
  ).toBeVisible();
  await expect(customer.getByText('Show the code at the entrance of Winter Gala')).toBeVisible();
  const confirmation = await waitForEmail(dataDir, 'onboarding-confirmation');
  expect(confirmation.subject).toBe('Registered: your Concert ticket — Winter Gala');

  await customer.getByRole('link', { name: 'See the code' }).click();
  await expect(customer.locator('dd[data-state]')).toHaveText('Active');
  await expect(customer.getByText('Grace Hopper')).toBeVisible();
  await customer.screenshot({ path: 'docs/screenshots/ticket.png', fullPage: true });
  await phone.close();
});
