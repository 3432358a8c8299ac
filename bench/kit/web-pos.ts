import { execFileSync } from 'node:child_process';
import { startWebPosServer, type WebPosServer } from '../../scripts/web-pos-server.ts';

let built = false;

/**
 * Builds the POS once per run (`vite build` into dist/renderer), so the browser scenarios
 * measure the code of this checkout, not an old build.
 */
export function buildRendererOnce(log: (message: string) => void): void {
  if (built) return;
  log('building the POS (vite build)…');
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  built = true;
}

/** The built POS served to the browser, pointed at `serverUrl` (as the e2e tests serve it). */
export function serveWebPos(serverUrl: string, demo = true): Promise<WebPosServer> {
  return startWebPosServer({ rendererDir: 'dist/renderer', serverUrl, demo });
}
