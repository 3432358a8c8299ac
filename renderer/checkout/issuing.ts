import { issueCode } from '../../shared/code/entitlement-code.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { formatReceiptNumber } from '../../shared/sale/build-sale.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { ISSUING_COUNTER_ID } from '../data/local-schemas.ts';

export type Reservation = { readonly receiptNumber: string; readonly serials: readonly number[] };

type Issuer = Pick<TerminalCredentials, 'terminalId' | 'terminalPrefix' | 'codeKey'>;

/** What one atomic write of the counter reserved: a receipt number (if asked) and serials. */
type Reserved = { readonly receiptSeq: number | null; readonly serials: readonly number[] };

/**
 * Advances the issuing counter by `receipts` (0 or 1) receipt numbers and `units` code serials in
 * one atomic read-modify-write, awaited until IndexedDB has stored it. RxDB retries the modifier
 * on a write conflict, so two windows of the POS never get the same number (DESIGN invariant 4).
 */
async function reserve(
  db: EntitleDatabase,
  terminalId: string,
  receipts: 0 | 1,
  units: number,
): Promise<Reserved> {
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
      receiptSeq: (fresh ? 0 : current.receiptSeq) + receipts,
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
    receiptSeq: receipts === 1 ? reserved.receiptSeq : null,
    serials: Array.from({ length: units }, (_, i) => reserved.firstSerial + i),
  };
}

/**
 * Reserves the next receipt number and `units` code serials in one atomic read-modify-write.
 * A sale that is never written leaves a gap, never a repeat.
 */
export async function reserveSerials(
  db: EntitleDatabase,
  terminalId: string,
  prefix: string,
  units: number,
): Promise<Reservation> {
  const reserved = await reserve(db, terminalId, 1, units);
  return {
    receiptNumber: formatReceiptNumber(prefix, reserved.receiptSeq ?? 0),
    serials: reserved.serials,
  };
}

/**
 * A window's numbers reserved ahead of its next sale: stored in the counter already (so no other
 * window, and no later start of this one, can have them) but not yet used by a sale. They live
 * only in this window's memory: if it closes or crashes first they are a gap, never a repeat.
 */
type Held = {
  terminalId: string;
  prefix: string;
  receiptSeq: number | null;
  serials: number[];
  /** A reservation ahead being written now. */
  pending: Promise<void> | null;
};

const heldBy = new WeakMap<EntitleDatabase, Held>();
/** Serials reserved ahead at a time beyond what the cart needs (gaps in serials are unseen). */
const SERIAL_BLOCK = 16;

function heldFor(db: EntitleDatabase, terminalId: string, prefix: string): Held {
  const held = heldBy.get(db);
  if (held && held.terminalId === terminalId && held.prefix === prefix) return held;
  // None yet, or for an earlier enrolment: those numbers are left as a gap.
  const fresh: Held = { terminalId, prefix, receiptSeq: null, serials: [], pending: null };
  heldBy.set(db, fresh);
  return fresh;
}

function covers(held: Held, units: number): boolean {
  return held.receiptSeq !== null && held.serials.length >= units;
}

/**
 * Reserves, durably, the next sale's receipt number and at least `units` serials before the
 * cashier presses Complete (the payment screen calls it as it opens), so the checkout itself
 * writes only the sale. Also signs their codes ahead. Never rejects: a failure here only means
 * the checkout reserves its numbers itself, as before.
 */
export async function reserveAhead(
  db: EntitleDatabase,
  issuer: Issuer,
  units: number,
): Promise<void> {
  const held = heldFor(db, issuer.terminalId, issuer.terminalPrefix);
  while (held.pending) await held.pending;
  if (heldBy.get(db) !== held || covers(held, units)) return;
  const receipts = held.receiptSeq === null ? 1 : 0;
  const more = Math.max(units - held.serials.length, 0);
  const mine = reserve(db, issuer.terminalId, receipts, more === 0 ? 0 : more + SERIAL_BLOCK)
    .then((reserved) => {
      if (reserved.receiptSeq !== null) held.receiptSeq = reserved.receiptSeq;
      held.serials.push(...reserved.serials);
      signAhead(issuer, held.serials.slice(0, Math.max(units, 1)));
    })
    .catch(() => undefined)
    .finally(() => {
      if (held.pending === mine) held.pending = null;
    });
  held.pending = mine;
  await mine;
}

/**
 * The receipt number and serials of a sale about to be written: those reserved ahead when they
 * cover it (taken in one synchronous step, so never by two checkouts), otherwise reserved now.
 */
export async function takeReservation(
  db: EntitleDatabase,
  issuer: Pick<Issuer, 'terminalId' | 'terminalPrefix'>,
  units: number,
): Promise<Reservation> {
  const { terminalId, terminalPrefix: prefix } = issuer;
  const held = heldFor(db, terminalId, prefix);
  // A reservation being written is nearer its end than a new one would be.
  if (held.pending) await held.pending;
  if (heldBy.get(db) === held && covers(held, units) && held.receiptSeq !== null) {
    const receiptNumber = formatReceiptNumber(prefix, held.receiptSeq);
    held.receiptSeq = null;
    return { receiptNumber, serials: held.serials.splice(0, units) };
  }
  return reserveSerials(db, terminalId, prefix, units);
}

/**
 * The codes the next sale of `units` will be given, as far as they are reserved and signed ahead
 * (none if the reservation is still being written): the receipt's QR codes can be drawn from
 * them before Complete is pressed.
 */
export async function codesSignedAhead(
  db: EntitleDatabase,
  issuer: Issuer,
  units: number,
): Promise<string[]> {
  const held = heldBy.get(db);
  if (held?.terminalId !== issuer.terminalId || held.prefix !== issuer.terminalPrefix) return [];
  const codes = await Promise.all(
    held.serials
      .slice(0, units)
      .map((serial) =>
        (signed.get(signedKey(issuer, serial)) ?? Promise.resolve(null)).catch(() => null),
      ),
  );
  return codes.filter((code): code is string => typeof code === 'string');
}

/** Codes signed ahead for serials reserved ahead, by prefix, key and serial. */
const signed = new Map<string, Promise<string>>();
/** More than a reservation ahead ever signs: the oldest are dropped beyond it. */
const SIGNED_KEEP = 256;

function signedKey(issuer: Omit<Issuer, 'terminalId'>, serial: number): string {
  return `${issuer.terminalPrefix} ${issuer.codeKey} ${String(serial)}`;
}

function signAhead(issuer: Issuer, serials: readonly number[]): void {
  for (const serial of serials) {
    const key = signedKey(issuer, serial);
    if (signed.has(key)) continue;
    const code = issueCode({
      prefix: issuer.terminalPrefix,
      serial,
      key: decodeCodeKey(issuer.codeKey),
    });
    code.catch(() => undefined); // a failure is seen by issueCodes, which signs it again
    signed.set(key, code);
    if (signed.size > SIGNED_KEEP) {
      const oldest = signed.keys().next();
      if (oldest.done !== true) signed.delete(oldest.value);
    }
  }
}

export function decodeCodeKey(codeKey: string): Uint8Array {
  const base64 = codeKey.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The codes of `serials` (those signed ahead are not signed again). */
export async function issueCodes(
  credentials: Omit<Issuer, 'terminalId'>,
  serials: readonly number[],
): Promise<string[]> {
  const key = decodeCodeKey(credentials.codeKey);
  return Promise.all(
    serials.map(async (serial) => {
      const id = signedKey(credentials, serial);
      const ahead = signed.get(id);
      signed.delete(id);
      const code = await ahead?.catch(() => null);
      return code ?? issueCode({ prefix: credentials.terminalPrefix, serial, key });
    }),
  );
}
