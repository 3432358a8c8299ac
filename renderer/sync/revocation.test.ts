import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, filter } from 'rxjs';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { ServerRefusal, ServerUnreachable } from './api-client.ts';
import { isRevocation, rememberRevocation, revokedOnDevice$ } from './revocation.ts';

let db: EntitleDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('isRevocation', () => {
  it('is true only for 401 terminal_revoked', () => {
    expect(isRevocation(new ServerRefusal(401, 'terminal_revoked', 'Revoked.'))).toBe(true);
  });

  it('is false for other refusals, an unreachable server and anything else', () => {
    expect(isRevocation(new ServerRefusal(401, 'unauthorized', 'Bad token.'))).toBe(false);
    expect(isRevocation(new ServerRefusal(403, 'terminal_revoked', 'Odd.'))).toBe(false);
    expect(isRevocation(new ServerRefusal(426, 'upgrade_required', 'Too old.'))).toBe(false);
    expect(isRevocation(new ServerUnreachable(new Error('offline')))).toBe(false);
    expect(isRevocation(new Error('terminal_revoked'))).toBe(false);
    expect(isRevocation(null)).toBe(false);
  });
});

describe('a revocation remembered on the device', () => {
  it('is not there on a fresh terminal, and stays once recorded', async () => {
    db = await openTestDatabase();
    expect(await firstValueFrom(revokedOnDevice$(db))).toBe(false);
    await rememberRevocation(db, new Date('2026-11-27T08:00:00Z'));
    expect(await firstValueFrom(revokedOnDevice$(db).pipe(filter(Boolean)))).toBe(true);
  });
});
