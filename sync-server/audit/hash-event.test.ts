import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_KINDS, hashAuditEvent, type AuditEvent } from '../../shared/audit/audit-event.ts';
import { auditHashOf, hashAuditEventSync, hasOwnHash } from './hash-event.ts';

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const event = fc.record({
  id,
  storeId: id,
  terminalId: id,
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
  kind: fc.constantFrom(...AUDIT_KINDS),
  staffId: fc.option(id),
  subjectId: fc.option(id),
  detail: fc.dictionary(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,39}$/),
    // Any text, lone surrogates and astral characters included: both encode UTF-8 alike.
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    ),
    { maxKeys: 16 },
  ),
  createdAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
});

describe('the server audit hash', () => {
  it('is the shared hashAuditEvent, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(event, async (unhashed) => {
        expect(hashAuditEventSync(unhashed)).toBe(await hashAuditEvent(unhashed));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('ignores fields outside the hash, as the shared one does', async () => {
    const unhashed = fc.sample(event, { seed: 3, numRuns: 1 })[0]!;
    const withExtra = { ...unhashed, hash: 'x', receivedAt: 'y' } as unknown as AuditEvent;
    expect(hashAuditEventSync(withExtra)).toBe(await hashAuditEvent(unhashed));
  });

  it('remembers an event that matches its own hash, frozen, and hashes any other', async () => {
    const unhashed = fc.sample(event, { seed: 5, numRuns: 1 })[0]!;
    const good: AuditEvent = { ...unhashed, hash: await hashAuditEvent(unhashed) };
    const bad: AuditEvent = { ...good, detail: { ...good.detail, changed: true } };
    expect(hasOwnHash(bad)).toBe(false);
    expect(Object.isFrozen(bad)).toBe(false);
    expect(auditHashOf(bad)).toBe(await hashAuditEvent(bad));
    expect(hasOwnHash(good)).toBe(true);
    expect(Object.isFrozen(good) && Object.isFrozen(good.detail)).toBe(true);
    expect(auditHashOf(good)).toBe(good.hash);
    // A copy is not the checked object: its hash is computed from its content.
    const copy = { ...good, hash: '0'.repeat(64) };
    expect(auditHashOf(copy)).toBe(good.hash);
  });
});
