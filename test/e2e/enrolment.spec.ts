import path from 'node:path';
import { expect, test } from '@playwright/test';
import { useCounterServer } from '../support/counter-e2e.ts';

const shop = useCounterServer('enrol', { demo: false });

test('a new terminal enrols once with the pairing code the server printed', async ({ browser }) => {
  const pairingCode = /Pair a terminal with code ([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(
    shop.server.output(),
  )?.[1];
  expect(pairingCode).toBeTruthy();

  const first = await browser.newContext();
  const page = await first.newPage();
  await page.goto(shop.pos.url);
  await expect(page.getByRole('heading', { name: 'Set up this terminal' })).toBeVisible();
  await expect(page.getByLabel('Server address')).toHaveValue(shop.server.url);

  await page.getByLabel('Name of this terminal').fill('Front desk');
  await page.getByLabel('Pairing code').fill('AAAA-AAAA');
  await page.getByRole('button', { name: 'Connect terminal' }).click();
  await expect(page.getByRole('alert')).toContainText('not valid, already used or expired');
  await page.screenshot({ path: path.join('docs', 'screenshots', 'enrol.png') });

  // Typed the way people type: lower case, no hyphen.
  await page.getByLabel('Pairing code').fill(pairingCode!.replace('-', '').toLowerCase());
  await page.getByRole('button', { name: 'Connect terminal' }).click();
  await expect(page.getByText('My shop · Front desk')).toBeVisible();
  await expect(page.getByTestId('online-status')).toHaveText('Online');
  // A new store has nobody who could sign in yet, and the till says where to add them.
  await expect(page.getByText('No staff on this terminal yet.')).toContainText(
    'Add staff on the dashboard (Staff → Add)',
  );

  // The enrolment is kept: a reload goes straight to selling.
  await page.reload();
  await expect(page.getByText('My shop · Front desk')).toBeVisible();
  await first.close();

  // The code works once: a second terminal cannot reuse it.
  const second = await browser.newContext();
  const other = await second.newPage();
  await other.goto(shop.pos.url);
  await other.getByLabel('Pairing code').fill(pairingCode!);
  await other.getByRole('button', { name: 'Connect terminal' }).click();
  await expect(other.getByRole('alert')).toContainText('not valid, already used or expired');
  await second.close();
});
