import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCredentials } from '../checkout/test-fixtures.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { openTestDatabase } from '../data/test-database.ts';
import { recordPrinterChange } from './printer-audit.ts';

let db: EntitleDatabase;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.close();
});

const network = { kind: 'network', host: '192.168.1.50', port: 9100, columns: 48 } as const;

describe('printer changes in the audit trail', () => {
  it('records who changed the printer, from what to what', async () => {
    const written = await recordPrinterChange(db, testCredentials, {
      staffId: 'staff-morgan',
      from: { kind: 'none' },
      to: network,
    });
    expect(written).toBe(true);
    const events = (await db.audit_events.find().exec()).map((doc) => doc.toMutableJSON());
    expect(events.map((event) => [event.kind, event.staffId, event.detail])).toEqual([
      [
        'settings_change',
        'staff-morgan',
        { setting: 'receipt_printer', from: 'no printer chosen', to: '192.168.1.50:9100' },
      ],
    ]);
  });

  it('saving the same printer again records nothing', async () => {
    expect(
      await recordPrinterChange(db, testCredentials, { staffId: null, from: network, to: network }),
    ).toBe(false);
    expect(await db.audit_events.count().exec()).toBe(0);
  });
});
