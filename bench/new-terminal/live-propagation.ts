import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { ENGINE_NAMES, startBenchServer, type Engine } from '../kit/engines.ts';
import { rounded, summarize, type Summary } from '../kit/stats.ts';
import type { BenchContext } from '../kit/types.ts';
import { WALK_IN_PRODUCT_NAME, openServerDatabase, seedWalkInProduct } from './seed.ts';
import { openBrowserTerminal, pollUntil, signInAsCashier } from './terminal.ts';

export type PropagationRun = {
  readonly engine: Engine;
  /** Redeem request sent → the receipt's code card shows "consumed", per code, in ms. */
  readonly latencies: readonly number[];
  /** Redeem request sent → its HTTP answer, per code, in ms. */
  readonly responses: readonly number[];
  readonly summary: Summary;
};

/** Wall-clock milliseconds with sub-millisecond precision (the page uses the same clock). */
function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/** The codes on the receipt and their states, read from the code cards. */
function receiptCodes(page: Page): Promise<{ code: string; state: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="code-card"]')].map((card) => ({
      code: card.getAttribute('data-code') ?? '',
      state: card.getAttribute('data-state') ?? '',
    })),
  );
}

/**
 * Sells `count` walk-in vouchers (template-less, so the customer portal redeems them on the spot)
 * in one cash sale and stays on its receipt, which shows each code's state as the POS knows it.
 */
async function sellWalkInVouchers(page: Page, count: number): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search products' }).fill('walk-in');
  const tile = page.getByRole('button', { name: new RegExp(`^Add ${WALK_IN_PRODUCT_NAME}`) });
  for (let i = 0; i < count; i++) await tile.click();
  await page.getByRole('button', { name: /^Charge/ }).click();
  await page.getByLabel('Cash received').fill(String(count * 10));
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await pollUntil(
    () => receiptCodes(page),
    (codes) => codes.length === count,
    { everyMs: 100, timeoutMs: 30_000, what: 'the receipt to show its codes' },
  );
}

/**
 * Watches the receipt from inside the page: the first moment each code's card says `consumed`,
 * on the page's wall clock, lands in `window.__redeemedAt`.
 */
async function watchRedemptions(page: Page): Promise<void> {
  // A string, not a function: tsx's name-keeping helper (__name) does not exist in the page.
  await page.evaluate(`(() => {
    const seen = {};
    window.__redeemedAt = seen;
    new MutationObserver(() => {
      const at = performance.timeOrigin + performance.now();
      for (const card of document.querySelectorAll(
        '[data-testid="code-card"][data-state="consumed"]',
      )) {
        const code = card.getAttribute('data-code') ?? '';
        seen[code] ??= at;
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  })()`);
}

/** The customer portal's "Redeem now" form post, with a CSRF cookie and field of our own. */
async function redeemOnPortal(serverUrl: string, code: string, csrf: string): Promise<number> {
  const response = await fetch(`${serverUrl}/redeem/${code}/consume`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `entitle_csrf=${csrf}`,
    },
    body: new URLSearchParams({ csrf }).toString(),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * A code sold at the POS is redeemed on the customer portal; timed from the redeem request's
 * send (Node's wall clock) to the moment the POS's receipt shows it redeemed (the page's wall
 * clock, same machine), one code at a time.
 */
export async function measureLivePropagation(
  ctx: BenchContext,
  engine: Engine,
  count: number,
): Promise<PropagationRun> {
  // One address sends every redemption: the portal's per-address limit (30 a minute) would
  // refuse a longer run, and it is not what is measured.
  const server = await startBenchServer({
    engine,
    demo: true,
    env: { PORTAL_RATE_LIMIT: '6000' },
  });
  try {
    const db = openServerDatabase(server);
    await seedWalkInProduct(db);
    await db.destroy();
    const terminal = await openBrowserTerminal(server.url, (message) => ctx.log(message));
    try {
      const { page } = terminal;
      await page.goto(terminal.pos.url);
      await signInAsCashier(page);
      ctx.log(`live propagation on ${ENGINE_NAMES[engine]}: selling ${String(count)} codes…`);
      await sellWalkInVouchers(page, count);
      const codes = (
        await pollUntil(
          () => receiptCodes(page),
          (cards) => cards.every((card) => card.state === 'known'),
          { everyMs: 100, timeoutMs: 60_000, what: 'the sale to sync and its codes to be known' },
        )
      ).map((card) => card.code);
      await watchRedemptions(page);
      const csrf = randomBytes(32).toString('base64url');
      const latencies: number[] = [];
      const responses: number[] = [];
      for (const code of codes) {
        const sent = wallNow();
        const status = await redeemOnPortal(server.url, code, csrf);
        responses.push(wallNow() - sent);
        if (status !== 200)
          throw new Error(`The portal answered ${String(status)} to redeem ${code}.`);
        const shownAt = await pollUntil(
          () =>
            page.evaluate(
              (wanted) =>
                (window as unknown as { __redeemedAt: Record<string, number> }).__redeemedAt[
                  wanted
                ] ?? null,
              code,
            ),
          (at) => at !== null,
          { everyMs: 20, timeoutMs: 30_000, what: `the POS to show ${code} redeemed` },
        );
        latencies.push((shownAt ?? Number.NaN) - sent);
        // A quiet moment between redemptions, as between customers.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const summary = summarize(latencies);
      ctx.log(
        `  p50 ${rounded(summary.p50).toString()} ms, p95 ${rounded(summary.p95).toString()} ms`,
      );
      return { engine, latencies, responses, summary };
    } finally {
      await terminal.close();
    }
  } finally {
    await server.stop();
  }
}
