import { issueCode } from '../../shared/code/entitlement-code.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { formatReceiptNumber } from '../../shared/sale/build-sale.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { ISSUING_COUNTER_ID } from '../data/local-schemas.ts';

export type Reservation = { readonly receiptNumber: string; readonly serials: readonly number[] };

/**
 * Reserves the next receipt number and `units` code serials in one atomic read-modify-write.
 * RxDB retries the modifier on a write conflict, so two windows of the POS never get the same
 * serial (DESIGN invariant 4). A sale that is never written leaves a gap, never a repeat.
 */
export async function reserveSerials(
  db: EntitleDatabase,
  terminalId: string,
  prefix: string,
  units: number,
): Promise<Reservation> {
  const counter =
    (await db.counters.findOne(ISSUING_COUNTER_ID).exec()) ??
    (await db.counters.insertIfNotExists({
      id: ISSUING_COUNTER_ID,
      terminalId,
      receiptSeq: 0,
      codeSerial: 0,
    }));
  // RxDB may batch queued modifiers into one write and re-run them after a conflict, so the
  // reserved range is what this modifier saw on its last run, not the document returned.
  let reserved = { receiptSeq: 0, firstSerial: 0 };
  await counter.incrementalModify((current) => {
    // A re-enrolled terminal has a new prefix, so its serials start again in a new namespace.
    const fresh = current.terminalId !== terminalId;
    reserved = {
      receiptSeq: (fresh ? 0 : current.receiptSeq) + 1,
      firstSerial: fresh ? 0 : current.codeSerial,
    };
    return {
      ...current,
      terminalId,
      receiptSeq: reserved.receiptSeq,
      codeSerial: reserved.firstSerial + units,
    };
  });
  return {
    receiptNumber: formatReceiptNumber(prefix, reserved.receiptSeq),
    serials: Array.from({ length: units }, (_, i) => reserved.firstSerial + i),
  };
}

export function decodeCodeKey(codeKey: string): Uint8Array {
  const base64 = codeKey.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export async function issueCodes(
  credentials: TerminalCredentials,
  serials: readonly number[],
): Promise<string[]> {
  const key = decodeCodeKey(credentials.codeKey);
  return Promise.all(
    serials.map((serial) => issueCode({ prefix: credentials.terminalPrefix, serial, key })),
  );
}
