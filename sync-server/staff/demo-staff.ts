import type { Db, StaffTable } from '../db/schema.ts';
import { nextSeq } from '../db/seq.ts';
import { isoNow, type Clock } from '../deps.ts';
import { DEMO_STORE } from '../catalogue/demo-catalogue.ts';
import { ensureStoreSettings } from './store-settings.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * The demo store's people, printed in the README and on `npm start`. The hashes are computed
 * once (600,000 PBKDF2 iterations; scrypt) and written here, so a demo server starts without
 * spending half a second hashing — these are public demo credentials, not secrets.
 */
export const DEMO_STAFF = [
  {
    id: 'staff-demo-cashier',
    name: 'Alex (cashier)',
    role: 'cashier',
    pin: '2580',
    pinHash:
      '{"algorithm":"PBKDF2-HMAC-SHA-256","iterations":600000,"salt":"S3kh1eFORKCxK60diwzR8w","hash":"xpe5Se4mqM15KJnYllRyxRspscgHAmwLeQbM5xWbhGY"}',
    email: null,
    password: null,
    passwordHash: null,
  },
  {
    id: 'staff-demo-manager',
    name: 'Morgan (manager)',
    role: 'manager',
    pin: '1379',
    pinHash:
      '{"algorithm":"PBKDF2-HMAC-SHA-256","iterations":600000,"salt":"2wAkQwcDZvdet6VEUQzmxw","hash":"XORHUVjRaz0_sw74HKC_7p7EL_IiQGHuMkx7K07NEMg"}',
    email: 'manager@demo.entitle.test',
    password: 'demo-manager-password',
    passwordHash:
      'scrypt$32768$8$1$97qz4odw25VSVTfkkd0CNA$lCDgtw8GKabHj8Ruqv1BKLnsMcZoAs9aHYXX3iOkef4',
  },
  {
    id: 'staff-demo-admin',
    name: 'Sam (admin)',
    role: 'admin',
    pin: '8642',
    pinHash:
      '{"algorithm":"PBKDF2-HMAC-SHA-256","iterations":600000,"salt":"aYtykajXTU0YncSFMQlZ1g","hash":"hTc0-P2upV5U6IRwONxD5gOCdOqcpbJxb4-SbBAcU98"}',
    email: 'admin@demo.entitle.test',
    password: 'demo-admin-password',
    passwordHash:
      'scrypt$32768$8$1$J870GyWQcKpC2s81xG57tg$gL4o1-d9VksJ9pID3WpqwvNblN-hXfCPwpdEDNDM7Io',
  },
] as const;

/** Idempotent: fixed ids, so a restart adds nothing and keeps any change made since. */
export async function seedDemoStaff(db: Db, clock: Clock): Promise<void> {
  const now = isoNow(clock);
  await inTransaction(db, async (trx) => {
    for (const member of DEMO_STAFF) {
      const exists = await trx
        .selectFrom('staff')
        .select('id')
        .where('id', '=', member.id)
        .executeTakeFirst();
      if (exists) continue;
      const row: StaffTable = {
        id: member.id,
        // The admin is an admin of every store; the others work in the demo store.
        store_id: member.role === 'admin' ? null : DEMO_STORE.id,
        name: member.name,
        role: member.role,
        pin_hash: member.pinHash,
        email: member.email,
        password_hash: member.passwordHash,
        active: 1,
        created_at: now,
        updated_at: now,
        seq: await nextSeq(trx),
      };
      await trx.insertInto('staff').values(row).execute();
    }
    await ensureStoreSettings(trx, DEMO_STORE.id, clock);
  });
}
