import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { issueCode } from '../../shared/code/entitlement-code.ts';
import type { ProductKind } from '../../shared/schemas/product.ts';
import { DEMO_STORE } from '../../sync-server/catalogue/demo-catalogue.ts';
import { locationOf, openLocation } from '../../sync-server/db/connection.ts';
import type { Db, DbOrTrx, EntitlementsTable, ProductsTable } from '../../sync-server/db/schema.ts';
import { reserveSeq } from '../../sync-server/db/seq.ts';
import { inTransaction } from '../../sync-server/db/transaction.ts';
import type { BenchServer } from '../kit/engines.ts';
import { enrolTerminal } from '../../renderer/enrol/enrol.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';

/**
 * Enrols a terminal of the demo store as the POS would, for seeding statuses of its own codes
 * before a POS is handed the enrolment (its credentials, in the web POS's local storage).
 */
export async function enrolAhead(serverUrl: string): Promise<{
  credentials: TerminalCredentials;
  owner: SeedingTerminal;
}> {
  const credentials = await enrolTerminal({
    serverUrl,
    terminalName: 'Bench till',
    pairingCode: null,
  });
  return {
    credentials,
    owner: {
      id: credentials.terminalId,
      prefix: credentials.terminalPrefix,
      key: new Uint8Array(Buffer.from(credentials.codeKey, 'base64url')),
    },
  };
}

/** Rows per INSERT: well under SQLite's bound-variable limit and PostgreSQL's message size. */
const CHUNK = 500;
/** Codes per seeded sale: 50,000 statuses come from 25,000 sales. */
const CODES_PER_SALE = 2;

const KINDS: readonly ProductKind[] = ['voucher', 'ticket', 'licence', 'gift_card'];
const NOUNS = [
  'Spa day',
  'Yoga class',
  'Wine tasting',
  'Cooking course',
  'Museum pass',
  'Climbing session',
  'Massage',
  'Concert seat',
  'Photo shoot',
  'Software seat',
  'Theatre ticket',
  'Bike rental',
  'Boat trip',
  'Language lesson',
  'Gift card',
];
const ADJECTIVES = ['Classic', 'Premium', 'Family', 'Evening', 'Weekend', 'Express', 'Deluxe'];

/** The template-less voucher the live-propagation benchmark sells: the portal redeems it at once. */
export const WALK_IN_PRODUCT_ID = 'bench-walk-in';
export const WALK_IN_PRODUCT_NAME = 'Bench walk-in voucher';

/** A product name a cashier would search for: "Premium Spa day 00042". */
export function productName(index: number): string {
  const noun = NOUNS[index % NOUNS.length] ?? 'Voucher';
  const adjective = ADJECTIVES[Math.floor(index / NOUNS.length) % ADJECTIVES.length] ?? '';
  return `${adjective} ${noun} ${String(index).padStart(5, '0')}`;
}

/** What seeding needs of a server: where its database is (a bench server, or an e2e test's). */
export type SeededServer = Pick<BenchServer, 'dataDir' | 'databaseUrl'>;

/** Opens the bench server's own database (its SQLite file or its PostgreSQL database). */
export function openServerDatabase(server: SeededServer): Db {
  return openLocation(locationOf({ dataDir: server.dataDir, databaseUrl: server.databaseUrl }), {
    max: 2,
  });
}

/**
 * Products of the demo store as the back office writes them (dashboard/catalogue.ts): a product
 * row with the next change sequence, and the template of a demo product of the same kind, so the
 * server parses a template per product on pull as it does in a real shop.
 */
async function seedProducts(db: Db, count: number, log: (message: string) => void): Promise<void> {
  const templates = await db
    .selectFrom('product_templates')
    .innerJoin('products', 'products.id', 'product_templates.product_id')
    .select(['products.kind', 'product_templates.template'])
    .where('products.store_id', '=', DEMO_STORE.id)
    .execute();
  const templateOfKind = new Map(templates.map((row) => [row.kind, row.template]));
  const now = new Date().toISOString();
  await inTransaction(db, async (trx) => {
    const firstSeq = await reserveSeq(trx, count);
    for (let start = 0; start < count; start += CHUNK) {
      const rows: ProductsTable[] = [];
      for (let index = start; index < Math.min(count, start + CHUNK); index++) {
        const kind = KINDS[index % KINDS.length] ?? 'voucher';
        rows.push({
          id: `bench-product-${String(index).padStart(5, '0')}`,
          store_id: DEMO_STORE.id,
          name: productName(index),
          description: `Seeded for the benchmark, item ${String(index)} of ${String(count)}.`,
          kind,
          price: 500 + (index % 200) * 100,
          currency: DEMO_STORE.currency,
          active: 1,
          updated_at: now,
          seq: firstSeq + index,
          barcode: String(2100000000000 + index),
          tax_class_id: kind === 'gift_card' ? null : 'tax-standard',
        });
      }
      await trx.insertInto('products').values(rows).execute();
      const withTemplates = rows.flatMap((row) => {
        const template = templateOfKind.get(row.kind);
        return template === undefined ? [] : [{ product_id: row.id, template, updated_at: now }];
      });
      if (withTemplates.length > 0)
        await trx.insertInto('product_templates').values(withTemplates).execute();
      if ((start + CHUNK) % 10_000 === 0) log(`  ${String(start + CHUNK)} products seeded`);
    }
  });
}

/** The voucher without a template: the customer portal redeems such a code on the spot. */
export async function seedWalkInProduct(db: Db): Promise<void> {
  const now = new Date().toISOString();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('products')
      .values({
        id: WALK_IN_PRODUCT_ID,
        store_id: DEMO_STORE.id,
        name: WALK_IN_PRODUCT_NAME,
        description: 'Redeemed on the customer portal with one tap.',
        kind: 'voucher',
        price: 1000,
        currency: DEMO_STORE.currency,
        active: 1,
        updated_at: now,
        seq: await reserveSeq(trx, 1),
        barcode: null,
        tax_class_id: 'tax-standard',
      })
      .execute();
  });
}

/** The terminal whose sales issued the seeded codes: its id, code prefix and code key. */
export type SeedingTerminal = {
  readonly id: string;
  readonly prefix: string;
  readonly key: Uint8Array;
};

/** A terminal of the demo store that made the seeded sales (as enrolment writes it). */
async function seedTerminal(trx: DbOrTrx): Promise<SeedingTerminal> {
  const id = `bench-terminal-${randomUUID()}`;
  const prefix = 'ZZZZ';
  await trx
    .insertInto('terminals')
    .values({
      id,
      store_id: DEMO_STORE.id,
      name: 'Bench seeding till',
      code_prefix: prefix,
      token_hash: createHash('sha256').update(randomBytes(32).toString('hex')).digest('hex'),
      // Never unsealed: nothing verifies the seeded codes' MACs against this terminal's key.
      code_key_enc: 'bench-unused',
      created_at: new Date().toISOString(),
      last_seen_at: null,
      revoked_at: null,
      reported_pending: null,
      reported_pending_at: null,
      last_refusal: null,
      last_refusal_at: null,
    })
    .execute();
  return { id, prefix, key: new Uint8Array(randomBytes(32)) };
}

/**
 * Entitlement statuses as accepting a sale writes them (sync/accept-sale.ts): a sale row with its
 * canonical JSON body and one seq, then its codes in state `known`, each with the next seq. Real
 * codes (prefix, serial, MAC, check symbol). The per-code audit events are not written: no pull
 * reads them. The sales are `owner`'s, or those of a terminal made for them.
 */
async function seedEntitlements(
  db: Db,
  count: number,
  log: (message: string) => void,
  owner: SeedingTerminal | undefined,
): Promise<void> {
  const sales = Math.ceil(count / CODES_PER_SALE);
  const now = new Date().toISOString();
  await inTransaction(db, async (trx) => {
    const terminal = owner ?? (await seedTerminal(trx));
    const key = terminal.key;
    // One seq per sale and one per code, in the order accept-sale reserves them.
    let seq = await reserveSeq(trx, sales + count);
    let serial = 0;
    const salesPerChunk = Math.floor(CHUNK / CODES_PER_SALE);
    for (let first = 0; first < sales; first += salesPerChunk) {
      const saleRows = [];
      const codeRows: EntitlementsTable[] = [];
      // The chunk's codes at once: WebCrypto's HMACs run in parallel, one by one took 20 s.
      const chunkCodes = Math.min(count - serial, salesPerChunk * CODES_PER_SALE);
      const issued = await Promise.all(
        Array.from({ length: chunkCodes }, (_, offset) =>
          issueCode({ prefix: terminal.prefix, serial: serial + offset, key }),
        ),
      );
      let next = 0;
      for (let index = first; index < Math.min(sales, first + salesPerChunk); index++) {
        const codes = issued.slice(next, next + CODES_PER_SALE);
        next += codes.length;
        serial += codes.length;
        const productId = `bench-product-${String(index % 1000).padStart(5, '0')}`;
        const name = productName(index % 1000);
        const total = codes.length * 1500;
        const sale = {
          id: randomUUID(),
          storeId: DEMO_STORE.id,
          terminalId: terminal.id,
          terminalPrefix: terminal.prefix,
          receiptNumber: `${terminal.prefix}-${String(index + 1).padStart(6, '0')}`,
          createdAt: now,
          currency: DEMO_STORE.currency,
          lines: [
            {
              lineId: randomUUID(),
              productId,
              name,
              kind: 'voucher',
              unitPrice: 1500,
              quantity: codes.length,
              lineTotal: total,
              discountAmount: 0,
              tax: null,
              total,
              codes,
            },
          ],
          subtotal: total,
          discountTotal: 0,
          taxTotal: 0,
          total,
          payments: [{ method: 'cash', amount: total, rounding: 0, tendered: total, change: 0 }],
          staffId: null,
          shiftId: null,
          discountApprovedBy: null,
        };
        const saleSeq = seq++;
        saleRows.push({
          id: sale.id,
          store_id: sale.storeId,
          terminal_id: sale.terminalId,
          receipt_number: sale.receiptNumber,
          body: canonicalJson(sale),
          created_at: now,
          received_at: now,
          seq: saleSeq,
          staff_id: null,
          shift_id: null,
        });
        for (const code of codes) {
          codeRows.push({
            code,
            store_id: sale.storeId,
            sale_id: sale.id,
            terminal_id: sale.terminalId,
            product_id: productId,
            product_name: name,
            kind: 'voucher',
            state: 'known',
            consumed_at: null,
            holder_account_id: null,
            buyer_account_id: null,
            claimed_at: null,
            expires_at: null,
            onboarding: null,
            onboarded_at: null,
            activated_at: null,
            given_to: null,
            given_at: null,
            gift_send_on: null,
            void_reason: null,
            updated_at: now,
            seq: seq++,
          });
        }
      }
      await trx.insertInto('sales').values(saleRows).execute();
      await trx.insertInto('entitlements').values(codeRows).execute();
      if (Math.floor(serial / 10_000) !== Math.floor((serial - codeRows.length) / 10_000))
        log(`  ${String(serial)} entitlement statuses seeded`);
    }
  });
}

/**
 * Seeds the bench server's demo store: `products` catalogue items and `entitlements` statuses
 * (from sales of an extra terminal, or of `statusesOf`), straight into its database, as the
 * server writes them.
 */
export async function seedStore(
  server: SeededServer,
  sizes: { readonly products: number; readonly entitlements: number },
  log: (message: string) => void,
  statusesOf?: SeedingTerminal,
): Promise<void> {
  const db = openServerDatabase(server);
  try {
    if (sizes.products > 0) await seedProducts(db, sizes.products, log);
    if (sizes.entitlements > 0) await seedEntitlements(db, sizes.entitlements, log, statusesOf);
  } finally {
    await db.destroy();
  }
}
