import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { formatCode, parseCode, verifyCodeMacWith } from '../../shared/code/entitlement-code.ts';
import { Sale, codesOfSale } from '../../shared/schemas/sale.ts';
import { expiryOf, type ProductTemplate } from '../../shared/templates/product-template.ts';
import type { AuthenticatedTerminal } from '../auth/terminal-auth.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import type { Db, EntitlementsTable, SalesTable, Trx } from '../db/schema.ts';
import { insertRows, paddedKeys } from '../db/insert-rows.ts';
import { reserveSeq } from '../db/seq.ts';
import { enqueueBuyerAccount } from '../accounts/buyer-account.ts';
import { recordEvents } from '../entitlements/events.ts';
import { activateProvisionalClaims } from '../entitlements/provisional-claims.ts';
import { enqueueGiftEmails } from '../gifts/enqueue-gift-emails.ts';
import { issueGiftCards } from '../gift-cards/issue.ts';
import { enqueueSaleCodesEmail } from '../mail/sale-codes-email.ts';
import { cardPaymentProblem } from '../payments/verify-card-payments.ts';
import { templatesOf } from '../templates/templates.ts';
import { applyEarlierRefunds } from '../refunds/store-refund.ts';
import { applyEarlierVoid } from '../voids/store-void.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { parsePushedFact } from './push-facts.ts';
import { staffRefusal } from './staff-refs.ts';
import { inTransaction } from '../db/transaction.ts';

export type SaleCheck = { ok: true; sale: Sale } | { ok: false; reason: string };
export type StoreOutcome =
  { kind: 'written' } | { kind: 'duplicate' } | { kind: 'rejected'; reason: string };

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;

const refuse = (reason: string): SaleCheck => ({ ok: false, reason });

/**
 * Everything that can be checked without the database: the shape and arithmetic of the sale
 * (the shared schema the counter used too), and that every code is genuinely this terminal's.
 */
export function checkSale(
  document: unknown,
  terminal: Pick<AuthenticatedTerminal, 'prefix' | 'currency'>,
  /** The terminal's code key; as a KeyObject when the caller checks many sales with it. */
  codeKey: Uint8Array | KeyObject,
): SaleCheck {
  const parsed = parsePushedFact(document, Sale, {
    noun: 'sale',
    deleted: 'Sales cannot be deleted; record a void instead.',
  });
  if (!parsed.ok) return parsed;
  const sale = parsed.value;
  if (sale.terminalPrefix !== terminal.prefix) {
    return refuse(
      `Sale ${sale.receiptNumber} carries terminal prefix ${sale.terminalPrefix}, but this terminal's prefix is ${terminal.prefix}.`,
    );
  }
  if (sale.currency !== terminal.currency) {
    return refuse(
      `Sale ${sale.receiptNumber} is in ${sale.currency}, but this store sells in ${terminal.currency}.`,
    );
  }
  // node:crypto's HMAC, synchronous: WebCrypto's promise per code cost about 100 µs a code.
  const hmacKey = codeKey instanceof Uint8Array ? createSecretKey(codeKey) : codeKey;
  const hmacSha256 = (message: Uint8Array): Uint8Array =>
    createHmac('sha256', hmacKey).update(message).digest();
  for (const code of codesOfSale(sale)) {
    const parsedCode = parseCode(code);
    if (!parsedCode.ok) return refuse(`Code ${formatCode(code)}: ${parsedCode.message}`);
    if (parsedCode.value.prefix !== terminal.prefix) {
      return refuse(`Code ${formatCode(code)} was not issued by this terminal.`);
    }
    if (!verifyCodeMacWith(parsedCode.value, hmacSha256)) {
      return refuse(
        `Code ${formatCode(code)} is not genuine: it was not signed with this terminal's key.`,
      );
    }
  }
  return { ok: true, sale };
}

function entitlementRows(
  sale: Sale,
  templates: ReadonlyMap<string, ProductTemplate>,
  firstSeq: number,
  now: string,
): EntitlementsTable[] {
  let seq = firstSeq;
  return sale.lines.flatMap((line) => {
    const template = templates.get(line.productId);
    // Validity counts from the sale on the counter: a code sold offline is not shortened by a late sync.
    const expiresAt = template ? expiryOf(template, sale.createdAt) : null;
    return line.codes.map((code) => ({
      code,
      store_id: sale.storeId,
      sale_id: sale.id,
      terminal_id: sale.terminalId,
      product_id: line.productId,
      product_name: line.name,
      kind: line.kind,
      state: 'known',
      consumed_at: null,
      holder_account_id: null,
      buyer_account_id: null,
      claimed_at: null,
      expires_at: expiresAt,
      onboarding: null,
      onboarded_at: null,
      activated_at: null,
      given_to: line.gift?.recipientEmail.trim().toLowerCase() ?? null,
      given_at: null,
      gift_send_on: line.gift?.sendOn ?? null,
      void_reason: null,
      updated_at: now,
      seq: seq++,
    }));
  });
}

/**
 * Stores a checked sale with all its codes in ONE transaction (DESIGN invariant 1), or nothing.
 * Sales are immutable facts with one writer (invariant 2): the same copy again is a harmless
 * retry (invariant 3); a different copy is a bug or an attack and is refused, never merged.
 * The e-mail to the buyer and the buyer's background account are enqueued in the same
 * transaction (invariant 5), so a duplicate push, which writes nothing, owes neither again.
 */
export async function storeSale(db: Db, sale: Sale, deps: SaleDeps): Promise<StoreOutcome> {
  const [outcome] = await inTransaction(db, (trx) => writeSales(trx, [sale], deps));
  if (outcome === undefined) throw new Error('writeSales answered no outcome.');
  return outcome;
}

export type SaleDeps = {
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  /** A licence registered before its sale is signed when the sale arrives. */
  readonly masterKey: Uint8Array;
};

/**
 * `select … where <column> in (…)` over any number of keys, in chunks, each padded to a power
 * of two (paddedKeys) so the statement is one SQLite has kept.
 */
async function inChunks<T>(
  keys: readonly string[],
  query: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const unique = [...new Set(keys)];
  const rows: T[] = [];
  for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
    rows.push(...(await query(paddedKeys(unique.slice(i, i + INSERT_CHUNK)))));
  }
  return rows;
}

const codesTakenReason = (code: string): string =>
  `Code ${formatCode(code)} already belongs to another sale; that sale keeps it. Tell a manager.`;

/**
 * storeSale for a whole pushed batch inside the caller's transaction, with the outcome of each
 * sale exactly as if each had been stored in its own transaction, in order: a sale sees the
 * sales before it (a second copy of one is a duplicate, a code of one is taken). The lookups are
 * made once for the batch and the rows inserted together, so a batch costs a handful of
 * statements instead of ten per sale (each a round trip on PostgreSQL). Every refusal is decided
 * before anything is written. The written sales and their codes get their seqs first, in order;
 * what arrived before them (a void, refunds, provisional claims) is applied after, per sale.
 */
export async function writeSales(
  trx: Trx,
  sales: readonly Sale[],
  deps: SaleDeps,
): Promise<StoreOutcome[]> {
  const stored = new Map(
    (
      await inChunks(
        sales.map((sale) => sale.id),
        (ids) => trx.selectFrom('sales').select(['id', 'body']).where('id', 'in', ids).execute(),
      )
    ).map((row) => [row.id, row.body]),
  );
  const taken = new Set(
    (
      await inChunks(sales.flatMap(codesOfSale), (codes) =>
        trx.selectFrom('entitlements').select('code').where('code', 'in', codes).execute(),
      )
    ).map((row) => row.code),
  );
  /** Staff references already found valid in this batch (staff rows do not change in a push). */
  const staffKnown = new Set<string>();
  const outcomes: StoreOutcome[] = [];
  const accepted: { sale: Sale; body: string; codes: string[] }[] = [];
  for (const sale of sales) {
    const body = canonicalJson(sale);
    const existing = stored.get(sale.id);
    if (existing !== undefined) {
      outcomes.push(
        existing === body
          ? { kind: 'duplicate' }
          : {
              kind: 'rejected',
              reason: `A different copy of sale ${sale.receiptNumber} is already on the server; the first copy stands. Tell a manager.`,
            },
      );
      continue;
    }
    const staffKey = `${sale.storeId}\u0000${sale.staffId ?? ''}\u0000${sale.discountApprovedBy ?? ''}`;
    if (!staffKnown.has(staffKey)) {
      const staffProblem = await staffRefusal(
        trx,
        sale.storeId,
        [
          { field: 'staffId', id: sale.staffId },
          { field: 'discountApprovedBy', id: sale.discountApprovedBy },
        ],
        `Sale ${sale.receiptNumber}`,
      );
      if (staffProblem) {
        outcomes.push({ kind: 'rejected', reason: staffProblem });
        continue;
      }
      staffKnown.add(staffKey);
    }
    // Card money must be a capture this server saw for this sale (payments/verify-card-payments).
    const cardProblem = await cardPaymentProblem(trx, sale);
    if (cardProblem) {
      outcomes.push({ kind: 'rejected', reason: cardProblem });
      continue;
    }
    const codes = codesOfSale(sale);
    // The first in code order, as the index lookup of one sale at a time named it.
    const clash = codes.filter((code) => taken.has(code)).sort()[0];
    if (clash !== undefined) {
      outcomes.push({ kind: 'rejected', reason: codesTakenReason(clash) });
      continue;
    }
    stored.set(sale.id, body);
    for (const code of codes) taken.add(code);
    accepted.push({ sale, body, codes });
    outcomes.push({ kind: 'written' });
  }
  if (accepted.length > 0) await insertSales(trx, accepted, deps);
  return outcomes;
}

async function insertSales(
  trx: Trx,
  accepted: readonly { sale: Sale; body: string; codes: string[] }[],
  deps: SaleDeps,
): Promise<void> {
  const now = isoNow(deps.clock);
  const templatesByStore = new Map<string, ReadonlyMap<string, ProductTemplate>>();
  for (const storeId of new Set(accepted.map(({ sale }) => sale.storeId))) {
    const productIds = accepted
      .filter(({ sale }) => sale.storeId === storeId)
      .flatMap(({ sale }) => sale.lines.map((line) => line.productId));
    templatesByStore.set(storeId, await templatesOf(trx, storeId, productIds));
  }
  const templatesFor = (sale: Sale): ReadonlyMap<string, ProductTemplate> =>
    templatesByStore.get(sale.storeId) ?? new Map();
  let seq = await reserveSeq(
    trx,
    accepted.reduce((sum, { codes }) => sum + 1 + codes.length, 0),
  );
  const saleRows: SalesTable[] = [];
  const codeRows: EntitlementsTable[] = [];
  const actors: `terminal:${string}`[] = [];
  for (const { sale, body, codes } of accepted) {
    saleRows.push({
      id: sale.id,
      store_id: sale.storeId,
      terminal_id: sale.terminalId,
      receipt_number: sale.receiptNumber,
      body,
      created_at: sale.createdAt,
      received_at: now,
      seq,
      staff_id: sale.staffId,
      shift_id: sale.shiftId,
    });
    codeRows.push(...entitlementRows(sale, templatesFor(sale), seq + 1, now));
    actors.push(...codes.map((): `terminal:${string}` => `terminal:${sale.terminalId}`));
    seq += 1 + codes.length;
  }
  await insertRows(trx, 'sales', saleRows);
  for (let i = 0; i < codeRows.length; i += INSERT_CHUNK) {
    const chunk = codeRows.slice(i, i + INSERT_CHUNK);
    await insertRows(trx, 'entitlements', chunk);
    await recordEvents(
      trx,
      chunk.map((row, at) => ({
        code: row.code,
        from: 'issued',
        to: 'known',
        actor: actors[i + at] ?? 'system',
        reason: 'sale synced',
        at: now,
      })),
      deps.randomBytes,
    );
  }
  // What arrived before its sale, looked up once for the batch and applied per sale.
  const ids = accepted.map(({ sale }) => sale.id);
  const voided = new Set(
    (
      await inChunks(ids, (chunk) =>
        trx.selectFrom('sale_voids').select('sale_id').where('sale_id', 'in', chunk).execute(),
      )
    ).map((row) => row.sale_id),
  );
  const refunded = new Set(
    (
      await inChunks(ids, (chunk) =>
        trx
          .selectFrom('sale_refunds')
          .select('sale_id')
          .where('sale_id', 'in', chunk)
          .where('applied_at', 'is', null)
          .execute(),
      )
    ).map((row) => row.sale_id),
  );
  const claimed = new Set(
    (
      await inChunks(
        accepted.flatMap(({ codes }) => codes),
        (chunk) =>
          trx
            .selectFrom('provisional_claims')
            .select('code')
            .where('code', 'in', chunk)
            .where('state', '=', 'waiting')
            .execute(),
      )
    ).map((row) => row.code),
  );
  // Every gift card of the batch funded in one statement, before the per-sale steps (a void
  // that arrived first reverses its own sale's cards).
  await issueGiftCards(
    trx,
    accepted.map(({ sale }) => ({ sale, templates: templatesFor(sale) })),
    deps,
  );
  for (const { sale, codes } of accepted) {
    // Before activation: a waiting provisional claim of a voided sale is cancelled, not confirmed.
    const isVoided = voided.has(sale.id) && (await applyEarlierVoid(trx, sale, deps));
    if (refunded.has(sale.id)) await applyEarlierRefunds(trx, sale, deps);
    if (codes.some((code) => claimed.has(code))) await activateProvisionalClaims(trx, codes, deps);
    await enqueueBuyerAccount(trx, sale, deps);
    // A sale voided before it arrived owes nobody its codes.
    if (!isVoided) {
      await enqueueSaleCodesEmail(trx, sale, deps);
      await enqueueGiftEmails(trx, sale, deps);
    }
  }
}
