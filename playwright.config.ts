import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './test/support/chromium.ts';

/** End-to-end tests drive Debian's Chromium (Playwright's own browser downloads are unavailable here). */
export default defineConfig({
  testDir: 'test/e2e',
  // Its own folder: Playwright empties it at start, and test-results/ keeps the long run's figures.
  outputDir: 'test-results/e2e',
  // Two at once: each spec starts its own servers on free ports and writes its own screenshots;
  // the scanner spec stamps its keys' times itself (test/support/scanner-e2e.ts), so CPU load no
  // longer decides whether a scan is seen as one.
  workers: 2,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromiumPath(),
      args: [...CHROMIUM_ARGS],
    },
    trace: 'off',
  },
});
