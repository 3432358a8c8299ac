import { Migrator, type Migration } from 'kysely';
import { initial } from './migrations/0001-initial.ts';
import { outbox } from './migrations/0002-outbox.ts';
import { accounts } from './migrations/0003-accounts.ts';
import { provisionalClaims } from './migrations/0004-provisional-claims.ts';
import { giftCards } from './migrations/0005-gift-cards.ts';
import { onboarding } from './migrations/0006-onboarding.ts';
import { counter } from './migrations/0007-counter.ts';
import { refunds } from './migrations/0008-refunds.ts';
import { staffAudit } from './migrations/0009-staff-audit.ts';
import { terminalHealth } from './migrations/0010-terminal-health.ts';
import { sharedLimits } from './migrations/0011-shared-limits.ts';
import { unloggedLimits } from './migrations/0012-unlogged-limits.ts';
import { statusOwner } from './migrations/0013-status-owner.ts';
import type { Db } from './schema.ts';

/** In code, not read from a folder, so migrations ship inside a bundle and run the same in tests. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-outbox': outbox,
  '0003-accounts': accounts,
  '0004-provisional-claims': provisionalClaims,
  '0005-gift-cards': giftCards,
  '0006-onboarding': onboarding,
  '0007-counter': counter,
  '0008-refunds': refunds,
  '0009-staff-audit': staffAudit,
  '0010-terminal-health': terminalHealth,
  '0011-shared-limits': sharedLimits,
  '0012-unlogged-limits': unloggedLimits,
  '0013-status-owner': statusOwner,
};

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    const name = failed?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${name} failed; the database was left unchanged.`, {
      cause: error,
    });
  }
}
