/**
 * Bundled at bench time and served on the POS's own origin (`/__bench/seed.html`), so it opens the
 * POS's real IndexedDB store: the same RxDB database, schemas and storage as renderer/main.tsx.
 * It writes `count` past sales as a till that has sold for a year would hold them: each with real
 * codes (signed with the terminal's key), spread over the past year, already synced (an accepted
 * ack per sale, written before the push replication's checkpoint, the server's status of every
 * code pulled into `entitlements`), and the issuing counter where the last of them left it.
 * Nothing is sent to the server. Audit events of past sales are not written (see the boot check).
 */
import { createRevision, type RxCollection } from 'rxdb';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { Product } from '../../shared/schemas/product.ts';
import { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { assembleSale, priceCart, totalOf, unitsOf } from '../../shared/sale/build-sale.ts';
import { formatReceiptNumber } from '../../shared/sale/build-sale.ts';
import { openEntitleDatabase } from '../../renderer/data/database.ts';
import { posStorage } from '../../renderer/data/pos-storage.ts';
import type { EntitleDatabase } from '../../renderer/data/database.ts';
import { ISSUING_COUNTER_ID } from '../../renderer/data/local-schemas.ts';
import { issueCodes } from '../../renderer/checkout/issuing.ts';
import { timeOrderedId } from '../../shared/ids/time-ordered-id.ts';

export type SeedProgress = {
  written: number;
  total: number;
  phase: string;
  done: boolean;
  error: string | null;
  saleJson: string | null;
  /** Milliseconds spent per step, to see what seeding costs. */
  spent: Record<string, number>;
};

const BATCH = 2_000;
const YEAR_MS = 365 * 24 * 3600 * 1000;

const progress: SeedProgress = {
  written: 0,
  total: 0,
  phase: 'starting',
  done: false,
  error: null,
  saleJson: null,
  spent: {},
};

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    progress.spent[name] = (progress.spent[name] ?? 0) + performance.now() - start;
  }
}
Object.assign(window, { __seed: progress });

/** A small deterministic generator, so two runs seed the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function seed(count: number): Promise<void> {
  const stored = localStorage.getItem('entitle.terminal-credentials');
  if (stored === null) throw new Error('The POS has not enrolled in this browser profile yet.');
  const credentials = TerminalCredentials.parse(JSON.parse(stored));
  const db = await openEntitleDatabase({
    name: 'entitle-pos',
    // The POS's own storage: another index set would make Dexie add the indexes the POS leaves
    // out to the store it created (renderer/data/needed-indexes.ts).
    storage: posStorage(),
    multiInstance: true,
  });
  try {
    await writeHistory(db, credentials, count);
  } finally {
    await db.close();
  }
}

async function writeHistory(
  db: EntitleDatabase,
  credentials: TerminalCredentials,
  count: number,
): Promise<void> {
  const products = (await db.products.find({ selector: { active: true } }).exec()).map((doc) =>
    doc.toMutableJSON(),
  );
  if (products.length === 0) throw new Error('The POS has no products yet.');
  const byId = new Map<string, Product>(products.map((product) => [product.id, product]));
  const staff = (await db.staff.find().exec()).map((doc) => doc.id);
  const counter = await db.counters.findOne(ISSUING_COUNTER_ID).exec();
  let receiptSeq = counter?.terminalId === credentials.terminalId ? counter.receiptSeq : 0;
  let codeSerial = counter?.terminalId === credentials.terminalId ? counter.codeSerial : 0;
  const next = random(7);
  const end = Date.now() - 60 * 60 * 1000;
  const start = end - YEAR_MS;
  progress.total = count;
  progress.phase = 'sales';
  for (let from = 0; from < count; from += BATCH) {
    const size = Math.min(BATCH, count - from);
    const drafts: Omit<Parameters<typeof assembleSale>[0], 'codes'>[] = [];
    const serialsOf: number[][] = [];
    for (let i = 0; i < size; i += 1) {
      const index = from + i;
      const lineCount = 1 + Math.floor(next() * 3);
      const picked = new Set<string>();
      while (picked.size < Math.min(lineCount, products.length)) {
        picked.add(products[Math.floor(next() * products.length)]?.id ?? '');
      }
      const priced = priceCart(
        [...picked].map((productId) => ({ productId, quantity: next() < 0.8 ? 1 : 2 })),
        byId,
      );
      const units = unitsOf(priced);
      receiptSeq += 1;
      const serials = Array.from({ length: units }, (_, unit) => codeSerial + unit);
      codeSerial += units;
      const total = totalOf(priced);
      const tendered = Math.ceil(total / 1000) * 1000;
      serialsOf.push(serials);
      // Oldest first, a year ago up to an hour ago, so "today" on the Sales screen is empty.
      const createdAt = start + ((index + next()) / count) * YEAR_MS;
      drafts.push({
        // Time-ordered, as the till makes them (renderer/checkout/complete-sale.ts).
        id: timeOrderedId(Math.floor(createdAt)),
        storeId: credentials.storeId,
        terminalId: credentials.terminalId,
        terminalPrefix: credentials.terminalPrefix,
        receiptNumber: formatReceiptNumber(credentials.terminalPrefix, receiptSeq),
        createdAt: new Date(createdAt).toISOString(),
        currency: credentials.currency,
        lines: priced,
        payments: [
          { method: 'cash', amount: total, rounding: 0, tendered, change: tendered - total },
        ],
        staffId: staff[index % Math.max(1, staff.length)] ?? null,
        shiftId: null,
      });
    }
    const codes = await step('codes', () =>
      Promise.all(serialsOf.map((serials) => issueCodes(credentials, serials))),
    );
    const sales = drafts.map((draft, i) => assembleSale({ ...draft, codes: codes[i] ?? [] }));
    progress.saleJson ??= JSON.stringify(sales[0]);
    const at = new Date(end).toISOString();
    // Three collections, three IndexedDB databases: written side by side.
    await step('writes', () =>
      Promise.all([
        writeAsOf(db.sales, sales, (sale) => sale.createdAt),
        writeAsOf(
          db.sync_acks,
          sales.map((sale) => ({ id: sale.id, outcome: 'accepted' as const, at })),
          (ack) => ack.at,
        ),
        writeAsOf(
          db.entitlements,
          sales.flatMap((sale) => statusesOf(sale, next)),
          (status) => status.updatedAt,
        ),
      ]),
    );
    progress.written = from + size;
  }
  // A till that sold these had their audit events written at the time (not seeded): the boot
  // check (renderer/audit/sale-audit.ts) has seen them, so it must not "repair" them now.
  await db.upsertLocal('audit-sales-checked', { upTo: new Date().toISOString() });
  await db.counters.upsert({
    id: ISSUING_COUNTER_ID,
    terminalId: credentials.terminalId,
    receiptSeq,
    codeSerial,
  });
}

/** What the server would have sent back for each code: most still to redeem, some redeemed. */
function statusesOf(sale: Sale, next: () => number): EntitlementStatus[] {
  return sale.lines.flatMap((line) =>
    line.codes.map((code) => {
      const consumed = next() < 0.3;
      return {
        code,
        storeId: sale.storeId,
        saleId: sale.id,
        productId: line.productId,
        productName: line.name,
        kind: line.kind,
        state: consumed ? ('consumed' as const) : ('known' as const),
        consumedAt: consumed ? sale.createdAt : null,
        updatedAt: sale.createdAt,
      };
    }),
  );
}

/**
 * Writes documents as RxDB stores them, with their last-write time (`_meta.lwt`) at the time they
 * were written on a real till instead of now, through the storage under the collection (the
 * collection stamps "now", and its per-document work made seeding take minutes). For sales this
 * matters: the POS's push replication resumes from a checkpoint set when it last pushed (this
 * run's own earlier checkouts) and only pushes documents written after it, so these are history
 * pushed long ago, as on a till that has sold for a year.
 */
async function writeAsOf<T extends object>(
  collection: RxCollection<T>,
  docs: readonly T[],
  writtenAt: (doc: T) => string,
): Promise<void> {
  const revision = createRevision(collection.database.token);
  const result = await collection.internalStorageInstance.bulkWrite(
    docs.map((doc) => ({
      document: {
        ...doc,
        _deleted: false,
        _attachments: {},
        _rev: revision,
        _meta: { lwt: Date.parse(writtenAt(doc)) },
      },
    })),
    'bench-seed-history',
  );
  if (result.error.length > 0) {
    throw new Error(`Seeding ${collection.name} failed: ${JSON.stringify(result.error[0])}`);
  }
}

const count = Number(new URLSearchParams(window.location.search).get('count') ?? '0');
seed(count)
  .then(() => {
    progress.phase = 'done';
    progress.done = true;
  })
  .catch((error: unknown) => {
    progress.error =
      error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    progress.done = true;
  });
