/**
 * Launches the built desktop app (dist/electron/main.js) in real Electron and checks the lock
 * and the bridge from inside the page. Needs Electron's binary and a display; run `npm run
 * build` first. Where the binary is missing it says so and fails: it never pretends to pass.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';
import { BRIDGE_CHANNELS } from '../electron/bridge-contract.ts';
import { findElectronBinary } from './electron-binary.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const mainScript = path.join('dist', 'electron', 'main.js');
const screenshot = path.join('test-results', 'electron-smoke.png');

function fail(message: string): never {
  console.error(`Electron smoke test failed: ${message}`);
  process.exit(1);
}

const executablePath = findElectronBinary();
if (executablePath === null) {
  console.error(
    "Electron's binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); the Electron smoke test did not run.",
  );
  process.exit(1);
}
if (!existsSync(path.join(repoRoot, mainScript))) {
  fail(`${mainScript} does not exist; run npm run build first.`);
}

const app = await _electron.launch({
  executablePath,
  args: [mainScript],
  cwd: repoRoot,
  timeout: 60_000,
});
const problems: string[] = [];
try {
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  const seen = await page.evaluate(async () => {
    const bridge: unknown = Reflect.get(globalThis, 'entitle');
    const methods =
      typeof bridge === 'object' && bridge !== null ? Object.keys(bridge).sort() : null;
    const info: unknown =
      typeof bridge === 'object' && bridge !== null && 'appInfo' in bridge
        ? await Reflect.apply(bridge.appInfo as () => Promise<unknown>, bridge, [])
        : null;
    const shell: unknown =
      typeof info === 'object' && info !== null ? Reflect.get(info, 'shell') : undefined;
    return {
      url: location.href,
      methods,
      shell,
      requireVisible: 'require' in globalThis,
      processVisible: 'process' in globalThis,
    };
  });
  const expected = Object.keys(BRIDGE_CHANNELS).sort();
  if (!seen.url.startsWith('app://pos/')) problems.push(`the page is ${seen.url}, not app://pos/`);
  if (JSON.stringify(seen.methods) !== JSON.stringify(expected)) {
    problems.push(
      `window.entitle has ${JSON.stringify(seen.methods)}, expected ${expected.join()}`,
    );
  }
  if (seen.shell !== 'electron') {
    problems.push(`entitle.appInfo() says the shell is ${String(seen.shell)}, not electron`);
  }
  if (seen.requireVisible) problems.push('require is visible in the page');
  if (seen.processVisible) problems.push('process is visible in the page');
  mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
  await page.screenshot({ path: path.join(repoRoot, screenshot) });
} finally {
  await app.close();
}

if (problems.length > 0) fail(problems.join('; '));
console.log(`Electron smoke test passed; screenshot at ${screenshot}.`);
