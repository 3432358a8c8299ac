import path from 'node:path';
import { expect, test } from '@playwright/test';
import { enrolAhead, seedStore } from '../../bench/new-terminal/seed.ts';
import { handEnrolment, localDocumentCounts } from '../../bench/new-terminal/terminal.ts';
import { useCounterServer } from '../support/counter-e2e.ts';
import { DEMO_CASHIER, signIn } from '../support/staff-e2e.ts';

const shop = useCounterServer('first-sync');
/** Four pages of 2,000 (PULL_BATCH_LIMIT): the download shows for a few seconds, so the test sees it. */
const PRODUCTS = 8000;
const STATUSES = 4200;
/** Statuses of another till's codes: a till pulls only its own. */
const THEIRS = 600;

test("a till shows its download as it goes: the catalogue, then its own codes, none of another till's", async ({
  page: till,
}) => {
  // A till that pulls its codes' statuses again from the start (after a server restore, or the
  // update that dropped the store's): enrolled, its codes sold, then handed to a fresh POS.
  const { credentials, owner } = await enrolAhead(shop.server.url);
  const server = { dataDir: shop.dataDir };
  await seedStore(server, { products: PRODUCTS, entitlements: STATUSES }, () => undefined, owner);
  await seedStore(server, { products: 0, entitlements: THEIRS }, () => undefined);
  await handEnrolment(till, credentials);
  const seen: string[] = [];
  await till.exposeFunction('reportProgress', (text: string) => seen.push(text));
  // Every text the progress note shows, in order, whatever the test is waiting on meanwhile.
  await till.addInitScript(() => {
    const report = (window as unknown as { reportProgress: (text: string) => void }).reportProgress;
    let last = '';
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="pull-progress"]')?.textContent ?? '';
      if (text !== last) {
        last = text;
        report(text);
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });

  await till.goto(shop.pos.url);
  const progress = till.getByTestId('pull-progress');
  await expect(progress).toContainText(/Downloading the catalogue: [\d,]+ of 8,0\d\d products/);
  await expect(
    progress.getByRole('progressbar', { name: 'Downloading the catalogue' }),
  ).toBeVisible();
  await till.screenshot({ path: path.join('docs', 'screenshots', 'pos-first-sync.png') });
  // Anyone may sign in and start selling while the rest arrives.
  await signIn(till, DEMO_CASHIER);
  // The note is gone for a moment between the catalogue's last page and the codes' first, so
  // its absence alone does not mean the download ended: wait for the codes' note, then its end.
  await expect
    .poll(() => seen.some((text) => text.includes('code statuses')), { timeout: 60_000 })
    .toBe(true);
  await expect(progress).toHaveCount(0, { timeout: 60_000 });
  await expect(till.getByTestId('online-status')).toHaveText('Online');

  const shown = seen.filter((text) => text !== '');
  const firstCodes = shown.findIndex((text) => text.includes('code statuses'));
  // The codes' statuses came after the whole catalogue, and they were shown too.
  expect(firstCodes).toBeGreaterThan(0);
  expect(shown.slice(0, firstCodes).every((text) => text.includes('catalogue'))).toBe(true);
  expect(shown.slice(firstCodes).every((text) => text.includes('code statuses'))).toBe(true);
  expect(shown[firstCodes]).toMatch(/: [\d,]+ of 4,200 codes$/);
  // Every status of its own codes, and not one of the other till's.
  expect((await localDocumentCounts(till)).entitlements).toBe(STATUSES);
  // The counts only grow, and each one is of the same total.
  const counts = shown.slice(0, firstCodes).map((text) => /: ([\d,]+) of/.exec(text)?.[1]);
  expect(counts.map((count) => Number(count?.replaceAll(',', '')))).toEqual(
    [...counts.map((count) => Number(count?.replaceAll(',', '')))].sort((a, b) => a - b),
  );
});
