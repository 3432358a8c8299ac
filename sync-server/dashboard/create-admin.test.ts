import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../staff/password.ts';
import { createTestApp, seededRandomBytes, type TestApp } from '../test-support/harness.ts';
import { createAdmin } from './create-admin.ts';
import { TEST_PASSWORD, addDashboardUser } from './test-kit.ts';

const run = promisify(execFile);

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const deps = () => ({ clock: t.clock.now, randomBytes: seededRandomBytes('create-admin') });

describe('createAdmin', () => {
  it('refuses a taken e-mail (any case) or a non-address, and adds nobody', async () => {
    await addDashboardUser(t, { email: 'owner@shop.example.test' });
    const before = await t.db.selectFrom('staff').selectAll().execute();
    await expect(createAdmin(t.db, { email: 'OWNER@shop.example.test' }, deps())).rejects.toThrow(
      'There is already a staff member with the e-mail owner@shop.example.test.',
    );
    await expect(createAdmin(t.db, { email: 'not-an-address' }, deps())).rejects.toThrow(
      'is not an e-mail address',
    );
    expect(await t.db.selectFrom('staff').selectAll().execute()).toEqual(before);
  });

  it('creates an admin of every store whose generated password signs in, and records it', async () => {
    const { staff, password } = await createAdmin(
      t.db,
      { email: 'Owner@Shop.example.test', name: 'Pat Owner' },
      deps(),
    );
    expect(staff).toMatchObject({
      role: 'admin',
      store_id: null,
      email: 'owner@shop.example.test',
    });
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(password).not.toBe(TEST_PASSWORD);
    expect(await verifyPassword(password, staff.password_hash ?? '')).toBe(true);
    const [action] = await t.db.selectFrom('dashboard_actions').selectAll().execute();
    expect(action).toMatchObject({ action: 'staff.create', subject: staff.id, staff_id: staff.id });
    expect(action?.detail).not.toContain(password);
  });
});

describe('npm run server -- create-admin', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'entitle-admin-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', 'create-admin', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '8899' },
    });

  it('prints the password once, then refuses the same e-mail with a clear error', async () => {
    const first = await cli('boss@shop.example.test', 'Pat', 'Owner');
    expect(first.stdout).toContain(
      'Created Pat Owner, an admin of every store, signing in as boss@shop.example.test',
    );
    expect(first.stdout).toMatch(/Password \(shown only now; keep it safe\): [A-Za-z0-9_-]{24}\n/);
    expect(first.stdout).toContain('Sign in at http://localhost:8899/dashboard/signin');
    const again = await cli('boss@shop.example.test').then(
      () => null,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(again?.code).toBe(1);
    expect(again?.stderr).toContain(
      'There is already a staff member with the e-mail boss@shop.example.test.',
    );
  }, 30_000);
});
