import type { Db } from '../db/schema.ts';
import { DEMO_STAFF } from './demo-staff.ts';

/**
 * What the operator is told at start about signing in: the demo people and their PINs, or, on a
 * server with nobody on its staff yet, how to create the first admin (nobody can sign in at a
 * counter or on the dashboard until someone exists).
 */
export async function staffHints(db: Db, demo: boolean, publicUrl: string): Promise<string[]> {
  if (demo) {
    return DEMO_STAFF.map(
      (member) =>
        `Demo staff: ${member.name} PIN ${member.pin}` +
        (member.email ? `; dashboard ${member.email} / ${member.password}` : ''),
    );
  }
  const anyone = await db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
  if (anyone) return [];
  return [
    'No staff yet: create the first admin with `npm run server -- create-admin you@example.com`,',
    `then sign in at ${publicUrl}/dashboard and add your staff and their PINs.`,
  ];
}
