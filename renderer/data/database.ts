import type { RxCollection, RxDatabase, RxJsonSchema, RxStorage } from 'rxdb';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { AuditEvent } from '../../shared/audit/audit-event.ts';
import { StaffMember } from '../../shared/staff/staff-member.ts';
import { StoreSettings } from '../../shared/schemas/store-settings.ts';
import { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import { Product } from '../../shared/schemas/product.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { SaleShape } from '../../shared/schemas/sale.ts';
import { SaleVoid } from '../../shared/schemas/sale-void.ts';
import type { SaleRefund } from '../../shared/schemas/sale-refund.ts';
import { SaleRefundShape } from '../../shared/schemas/sale-refund.ts';
import { toRxJsonSchema } from '../../shared/schemas/rx-schema.ts';
import type { CartDoc, CounterDoc, SyncAckDoc } from './local-schemas.ts';
import {
  CartDoc as CartSchema,
  CounterDoc as CounterSchema,
  SyncAckDoc as AckSchema,
} from './local-schemas.ts';

// Runs the migration strategies below when a terminal opens a store written by an older build.
addRxPlugin(RxDBMigrationSchemaPlugin);
// Local documents (not collections, so not counted against RxDB's 13): the audit chain's tail
// and each staff member's PIN lockout, which must survive a restart.
addRxPlugin(RxDBLocalDocumentsPlugin);

const TIMESTAMP_BOUNDS = { maxLength: 40 };

function rxSchema<T>(schema: ReturnType<typeof toRxJsonSchema>): RxJsonSchema<T> {
  return schema as unknown as RxJsonSchema<T>;
}

/**
 * Replicated with the server: products, entitlements, staff and settings are pulled; sales,
 * voids, refunds and audit events pushed.
 */
const SCHEMAS = {
  products: rxSchema<Product>(
    toRxJsonSchema(Product, {
      version: 2,
      primaryKey: 'id',
      indexes: [['name']],
      bounds: { name: { maxLength: 120 } },
    }),
  ),
  sales: rxSchema<Sale>(
    toRxJsonSchema(SaleShape, {
      version: 3,
      primaryKey: 'id',
      indexes: [['createdAt']],
      bounds: { createdAt: TIMESTAMP_BOUNDS },
    }),
  ),
  entitlements: rxSchema<EntitlementStatus>(
    toRxJsonSchema(EntitlementStatus, { version: 0, primaryKey: 'code', indexes: [['saleId']] }),
  ),
  voids: rxSchema<SaleVoid>(
    toRxJsonSchema(SaleVoid, {
      version: 1,
      primaryKey: 'id',
      indexes: [['saleId'], ['createdAt']],
      bounds: { createdAt: TIMESTAMP_BOUNDS },
    }),
  ),
  refunds: rxSchema<SaleRefund>(
    toRxJsonSchema(SaleRefundShape, {
      version: 1,
      primaryKey: 'id',
      indexes: [['saleId'], ['createdAt']],
      bounds: { createdAt: TIMESTAMP_BOUNDS },
    }),
  ),
  staff: rxSchema<StaffMember>(toRxJsonSchema(StaffMember, { version: 0, primaryKey: 'id' })),
  settings: rxSchema<StoreSettings>(
    toRxJsonSchema(StoreSettings, { version: 0, primaryKey: 'id' }),
  ),
  /**
   * The terminal's audit chain (pushed). The id is `<terminalId>_<seq>`, so two windows that
   * append at once collide on the insert instead of forking the chain: the loser re-reads the
   * tail and appends after it (renderer/audit/record-audit.ts).
   */
  audit_events: rxSchema<AuditEvent>(
    toRxJsonSchema(AuditEvent, {
      version: 0,
      primaryKey: 'id',
      indexes: [['seq'], ['createdAt']],
      bounds: { seq: { minimum: 1, maximum: 1e12, multipleOf: 1 }, createdAt: TIMESTAMP_BOUNDS },
    }),
  ),
  carts: rxSchema<CartDoc>(toRxJsonSchema(CartSchema, { version: 2, primaryKey: 'id' })),
  counters: rxSchema<CounterDoc>(toRxJsonSchema(CounterSchema, { version: 0, primaryKey: 'id' })),
  sync_acks: rxSchema<SyncAckDoc>(
    toRxJsonSchema(AckSchema, {
      version: 0,
      primaryKey: 'id',
      indexes: [['outcome']],
      bounds: { outcome: { maxLength: 10 } },
    }),
  ),
};

/**
 * Protocol v2 gave products a template and sale lines an optional gift. Products are the
 * server's: a v1 copy gets `template: null` until the next pull brings the real one. Sales are
 * facts and stay exactly as written; v1 sales are valid v2 sales.
 */
const PRODUCT_MIGRATIONS = {
  1: (product: Omit<Product, 'template'>) => ({ ...product, template: null }),
  2: (product: Omit<Product, 'barcode' | 'taxClass'>): Product => ({
    ...product,
    barcode: null,
    taxClass: null,
  }),
};
/**
 * Protocol v3 priced sales with discounts and tax. A sale written before it had neither, so
 * the v3 figures follow from what it holds: no discount, no tax, totals as they were, cash
 * without rounding. The same money, written the new way (and accepted by a v3 server).
 */
const SALE_MIGRATIONS = {
  1: (sale: Sale): Sale => sale,
  2: (sale: V2Sale): Sale => ({
    ...sale,
    lines: sale.lines.map((line) => ({
      ...line,
      discountAmount: 0,
      tax: null,
      total: line.lineTotal,
    })),
    subtotal: sale.total,
    discountTotal: 0,
    taxTotal: 0,
    payments: sale.payments.map((payment) => ({ ...payment, method: 'cash', rounding: 0 })),
  }),
};
/**
 * Protocol v4 names the staff member on every sale, void and refund. Facts written before staff
 * signed in at the counter say so with null: who made them is not known, and is not invented.
 */
const SALE_MIGRATIONS_V4 = {
  3: (sale: Omit<Sale, 'staffId' | 'shiftId' | 'discountApprovedBy'>): Sale => ({
    ...sale,
    staffId: null,
    shiftId: null,
    discountApprovedBy: null,
  }),
};
const VOID_MIGRATIONS = {
  1: (fact: Omit<SaleVoid, 'staffId' | 'approvedBy'>): SaleVoid => ({
    ...fact,
    staffId: null,
    approvedBy: null,
  }),
};
const REFUND_MIGRATIONS = {
  1: (fact: Omit<SaleRefund, 'staffId' | 'approvedBy'>): SaleRefund => ({
    ...fact,
    staffId: null,
    approvedBy: null,
  }),
};
type V2Sale = Omit<Sale, 'lines' | 'payments' | 'subtotal' | 'discountTotal' | 'taxTotal'> & {
  lines: Omit<Sale['lines'][number], 'discountAmount' | 'tax' | 'total'>[];
  payments: { method: 'cash'; amount: number; tendered: number; change: number }[];
};
/** Cart lines may carry a gift since version 1, discounts and card payments since 2. */
const CART_MIGRATIONS = {
  1: (cart: CartDoc): CartDoc => cart,
  2: (cart: CartDoc): CartDoc => cart,
};

const ENTITLEMENTS_COLLECTION = { schema: SCHEMAS.entitlements };

export type EntitleCollections = {
  products: RxCollection<Product>;
  sales: RxCollection<Sale>;
  entitlements: RxCollection<EntitlementStatus>;
  voids: RxCollection<SaleVoid>;
  refunds: RxCollection<SaleRefund>;
  staff: RxCollection<StaffMember>;
  settings: RxCollection<StoreSettings>;
  audit_events: RxCollection<AuditEvent>;
  carts: RxCollection<CartDoc>;
  counters: RxCollection<CounterDoc>;
  sync_acks: RxCollection<SyncAckDoc>;
};
export type EntitleDatabase = RxDatabase<EntitleCollections>;

/**
 * Opens the POS's local store. Eleven collections: RxDB's free tier allows 13 per process, so
 * one test process holds one database at a time; tests close what they open.
 */
export async function openEntitleDatabase(options: {
  readonly name: string;
  readonly storage: RxStorage<unknown, unknown>;
  readonly multiInstance?: boolean;
}): Promise<EntitleDatabase> {
  const db = await createRxDatabase<EntitleCollections>({
    name: options.name,
    storage: options.storage,
    multiInstance: options.multiInstance ?? false,
    eventReduce: true,
    closeDuplicates: true,
    localDocuments: true,
  });
  await db.addCollections({
    products: { schema: SCHEMAS.products, migrationStrategies: PRODUCT_MIGRATIONS },
    sales: {
      schema: SCHEMAS.sales,
      migrationStrategies: { ...SALE_MIGRATIONS, ...SALE_MIGRATIONS_V4 },
    },
    entitlements: ENTITLEMENTS_COLLECTION,
    voids: { schema: SCHEMAS.voids, migrationStrategies: VOID_MIGRATIONS },
    refunds: { schema: SCHEMAS.refunds, migrationStrategies: REFUND_MIGRATIONS },
    staff: { schema: SCHEMAS.staff },
    settings: { schema: SCHEMAS.settings },
    audit_events: { schema: SCHEMAS.audit_events },
    carts: { schema: SCHEMAS.carts, migrationStrategies: CART_MIGRATIONS },
    counters: { schema: SCHEMAS.counters },
    sync_acks: { schema: SCHEMAS.sync_acks },
  });
  await dropStatusesPulledForTheStore(db);
  return db;
}

/** Set once the statuses pulled before the pull named only a till's own codes were dropped. */
export const OWN_STATUSES_DOC = 'statuses-own-codes-only';

/**
 * A till pulls the statuses of the codes it issued, no others (server migration 0013). A till
 * updated from an earlier build holds every code of its store that it pulled before: bearer
 * codes it has no use for (it reads a status only on the receipt of a sale it stored) and should
 * not keep. Once, before anything reads them, they go with the whole collection (its IndexedDB
 * database deleted, not documents marked deleted), and the till pulls its own codes' statuses
 * again from the start (a new pull identifier: renderer/sync/replication.ts).
 */
async function dropStatusesPulledForTheStore(db: EntitleDatabase): Promise<void> {
  if (await db.getLocal(OWN_STATUSES_DOC)) return;
  if ((await db.entitlements.count().exec()) > 0) {
    await db.entitlements.remove();
    await db.addCollections({ entitlements: ENTITLEMENTS_COLLECTION });
  }
  await db.upsertLocal(OWN_STATUSES_DOC, { droppedAt: new Date().toISOString() });
}
