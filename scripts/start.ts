/**
 * `npm start`: the POS with a local demo sync server. Electron where its binary is installed,
 * otherwise the same POS served to a browser. `npm run demo` (--demo-only) always serves the
 * web POS. The sync server always runs as its own Node process, never inside Electron.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { startFakeStripe } from '../test/fake-stripe/fake-stripe.ts';
import { findElectronBinary } from './electron-binary.ts';
import { startWebPosServer } from './web-pos-server.ts';
import { DEMO_STAFF } from '../sync-server/staff/demo-staff.ts';

const demoOnly = process.argv.includes('--demo-only');
const port = Number(process.env.PORT ?? 8787);
const posPort = Number(process.env.POS_PORT ?? 5174);
const serverUrl = `http://localhost:${String(port)}`;
const children: ChildProcess[] = [];

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\`${command} ${args.join(' ')}\` failed; see above.`);
    process.exit(result.status ?? 1);
  }
}

function stopAll(code: number): never {
  for (const child of children) child.kill('SIGTERM');
  process.exit(code);
}

async function waitForHealth(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${serverUrl}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `The sync server did not answer on ${serverUrl}/health within ${String(timeoutMs / 1000)} s.`,
  );
}

async function main(): Promise<void> {
  run('npx', ['vite', 'build', '--logLevel', 'warn']);
  // Card payments in the demo go to the local fake Stripe (a simulated reader, no real card is
  // charged) unless a STRIPE_SECRET_KEY is given; see docs/stripe.md.
  const fakeStripe = process.env.STRIPE_SECRET_KEY ? null : await startFakeStripe();
  const server = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      DEMO: '1',
      PORT: String(port),
      PUBLIC_URL: process.env.PUBLIC_URL ?? serverUrl,
      // Request logs would bury the URLs printed below; LOG_LEVEL=info brings them back.
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...(fakeStripe
        ? { STRIPE_SECRET_KEY: 'sk_test_entitledemo', STRIPE_API_BASE: fakeStripe.url }
        : {}),
    },
  });
  children.push(server);
  server.on('exit', (code) => {
    console.error(`The sync server stopped (exit code ${String(code)}).`);
    stopAll(code ?? 1);
  });
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  await waitForHealth(30_000);

  const electron = demoOnly ? null : findElectronBinary();
  if (electron) {
    run('npm', ['run', '-s', 'build:electron']);
    const app = spawn(electron, ['.'], {
      stdio: 'inherit',
      env: { ...process.env, ENTITLE_SERVER_URL: serverUrl, ENTITLE_DEMO: '1' },
    });
    children.push(app);
    app.on('exit', (code) => stopAll(code ?? 0));
    return;
  }
  if (!demoOnly)
    console.log(
      "Electron's binary is not installed here, so the POS opens in your browser instead.",
    );
  const pos = await startWebPosServer({
    rendererDir: 'dist/renderer',
    serverUrl,
    demo: true,
    port: posPort,
  });
  console.log(`\n  Web POS:          ${pos.url.replace('127.0.0.1', 'localhost')}`);
  console.log(`  Redemption page:  ${serverUrl}/redeem`);
  const manager = DEMO_STAFF.find((member) => member.role === 'manager');
  console.log(
    `  Dashboard:        ${serverUrl}/dashboard (${manager?.email ?? ''} / ${manager?.password ?? ''})`,
  );
  console.log(
    `  Till PINs:        ${DEMO_STAFF.map((member) => `${member.name} ${member.pin}`).join(' · ')}`,
  );
  console.log(`  Health check:     ${serverUrl}/health\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  stopAll(1);
});
