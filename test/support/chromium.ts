/**
 * How the tests and benchmarks start Chromium: Debian's build (Playwright's own browser
 * downloads are unavailable here), or CHROMIUM_PATH; headless, without the sandbox, the GPU or
 * any network chatter of its own.
 */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
] as const;
