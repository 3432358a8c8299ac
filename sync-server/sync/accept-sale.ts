import { formatCode, parseCode, verifyCodeMac } from '../../shared/code/entitlement-code.ts';
import { Sale, codesOfSale } from '../../shared/schemas/sale.ts';
import { expiryOf, type ProductTemplate } from '../../shared/templates/product-template.ts';
import type { AuthenticatedTerminal } from '../auth/terminal-auth.ts';
import { isoNow, type Clock, type RandomBytes } from '../deps.ts';
import type { Db, EntitlementsTable } from '../db/schema.ts';
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
export async function checkSale(
  document: unknown,
  terminal: Pick<AuthenticatedTerminal, 'prefix' | 'currency'>,
  codeKey: Uint8Array,
): Promise<SaleCheck> {
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
  for (const code of codesOfSale(sale)) {
    const parsedCode = parseCode(code);
    if (!parsedCode.ok) return refuse(`Code ${formatCode(code)}: ${parsedCode.message}`);
    if (parsedCode.value.prefix !== terminal.prefix) {
      return refuse(`Code ${formatCode(code)} was not issued by this terminal.`);
    }
    if (!(await verifyCodeMac(parsedCode.value, codeKey))) {
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
export function storeSale(
  db: Db,
  sale: Sale,
  deps: {
    readonly clock: Clock;
    readonly randomBytes: RandomBytes;
    /** A licence registered before its sale is signed when the sale arrives. */
    readonly masterKey: Uint8Array;
  },
): Promise<StoreOutcome> {
  const body = canonicalJson(sale);
  const codes = codesOfSale(sale);
  return inTransaction(db, async (trx): Promise<StoreOutcome> => {
    const existing = await trx
      .selectFrom('sales')
      .select('body')
      .where('id', '=', sale.id)
      .executeTakeFirst();
    if (existing) {
      return existing.body === body
        ? { kind: 'duplicate' }
        : {
            kind: 'rejected',
            reason: `A different copy of sale ${sale.receiptNumber} is already on the server; the first copy stands. Tell a manager.`,
          };
    }
    const staffProblem = await staffRefusal(
      trx,
      sale.storeId,
      [
        { field: 'staffId', id: sale.staffId },
        { field: 'discountApprovedBy', id: sale.discountApprovedBy },
      ],
      `Sale ${sale.receiptNumber}`,
    );
    if (staffProblem) return { kind: 'rejected', reason: staffProblem };
    // Card money must be a capture this server saw for this sale (payments/verify-card-payments).
    const cardProblem = await cardPaymentProblem(trx, sale);
    if (cardProblem) return { kind: 'rejected', reason: cardProblem };
    for (let i = 0; i < codes.length; i += INSERT_CHUNK) {
      const taken = await trx
        .selectFrom('entitlements')
        .select('code')
        .where('code', 'in', codes.slice(i, i + INSERT_CHUNK))
        .executeTakeFirst();
      if (taken) {
        return {
          kind: 'rejected',
          reason: `Code ${formatCode(taken.code)} already belongs to another sale; that sale keeps it. Tell a manager.`,
        };
      }
    }
    const now = isoNow(deps.clock);
    const firstSeq = await reserveSeq(trx, 1 + codes.length);
    await trx
      .insertInto('sales')
      .values({
        id: sale.id,
        store_id: sale.storeId,
        terminal_id: sale.terminalId,
        receipt_number: sale.receiptNumber,
        body,
        created_at: sale.createdAt,
        received_at: now,
        seq: firstSeq,
        staff_id: sale.staffId,
        shift_id: sale.shiftId,
      })
      .execute();
    const templates = await templatesOf(
      trx,
      sale.storeId,
      sale.lines.map((line) => line.productId),
    );
    const rows = entitlementRows(sale, templates, firstSeq + 1, now);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('entitlements')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
      await recordEvents(
        trx,
        rows.slice(i, i + INSERT_CHUNK).map((row) => ({
          code: row.code,
          from: 'issued',
          to: 'known',
          actor: `terminal:${sale.terminalId}`,
          reason: 'sale synced',
          at: now,
        })),
        deps.randomBytes,
      );
    }
    await issueGiftCards(trx, sale, templates, deps);
    // Before activation: a waiting provisional claim of a voided sale is cancelled, not confirmed.
    const voided = await applyEarlierVoid(trx, sale, deps);
    await applyEarlierRefunds(trx, sale, deps);
    await activateProvisionalClaims(trx, codes, deps);
    await enqueueBuyerAccount(trx, sale, deps);
    // A sale voided before it arrived owes nobody its codes.
    if (!voided) {
      await enqueueSaleCodesEmail(trx, sale, deps);
      await enqueueGiftEmails(trx, sale, deps);
    }
    return { kind: 'written' };
  });
}
