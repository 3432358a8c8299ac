import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { EntitlementStatus } from './entitlement.ts';
import { Product } from './product.ts';
import * as protocol from './protocol.ts';
import { SaleShape } from './sale.ts';
import { SaleVoid } from './sale-void.ts';
import { SaleRefundShape } from './sale-refund.ts';
import { StoreSettings } from './store-settings.ts';
import { AuditEvent } from '../audit/audit-event.ts';
import { StaffMember } from '../staff/staff-member.ts';

/**
 * The fingerprint of every schema that crosses the wire. When this test fails you changed the
 * protocol: bump PROTOCOL_VERSION, add a changelog line, and record the new fingerprint below.
 */
const FINGERPRINTS: Record<number, string> = {
  1: '783421bb62a05dc7',
  2: 'b8e94195427ab8ec',
  3: 'cb31f26bd1cf91b8',
  4: '9dd19a1e8119fd5a',
  // v5 added `remaining` to PullResponse, a TypeScript type rather than a zod schema: the
  // schemas hashed here did not change.
  5: '9dd19a1e8119fd5a',
};

function fingerprint(): string {
  const schemas = {
    Product,
    SaleShape,
    SaleVoid,
    SaleRefundShape,
    EntitlementStatus,
    StaffMember,
    StoreSettings,
    AuditEvent,
    EnrolRequest: protocol.EnrolRequest,
    TerminalCredentials: protocol.TerminalCredentials,
    Checkpoint: protocol.Checkpoint,
    PushRequest: protocol.PushRequest,
    PushResponse: protocol.PushResponse,
    StreamChange: protocol.StreamChange,
    ApiError: protocol.ApiError,
  };
  const json = Object.entries(schemas).map(([name, schema]) => [
    name,
    z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }),
  ]);
  return createHash('sha256').update(JSON.stringify(json)).digest('hex').slice(0, 16);
}

describe('protocol version', () => {
  it('has a changelog line for every version up to the current one', () => {
    for (let version = 1; version <= protocol.PROTOCOL_VERSION; version++) {
      expect(protocol.PROTOCOL_CHANGELOG[version], `changelog for v${version}`).toBeTruthy();
    }
  });

  it('is bumped whenever a wire schema changes', () => {
    expect(fingerprint()).toBe(FINGERPRINTS[protocol.PROTOCOL_VERSION]);
  });
});
