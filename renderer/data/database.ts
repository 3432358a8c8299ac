import type { RxCollection, RxDatabase, RxJsonSchema, RxStorage } from 'rxdb';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import { Product } from '../../shared/schemas/product.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { SaleShape } from '../../shared/schemas/sale.ts';
import { SaleVoid } from '../../shared/schemas/sale-void.ts';
import { toRxJsonSchema } from '../../shared/schemas/rx-schema.ts';
import type { CartDoc, CounterDoc, SyncAckDoc } from './local-schemas.ts';
import { CartDoc as CartSchema, CounterDoc as CounterSchema, SyncAckDoc as AckSchema } from './local-schemas.ts';

// Runs the migration strategies below when a terminal opens a store written by an older build.
addRxPlugin(RxDBMigrationSchemaPlugin);

const TIMESTAMP_BOUNDS = { maxLength: 40 };

function rxSchema<T>(schema: ReturnType<typeof toRxJsonSchema>): RxJsonSchema<T> {
  return schema as unknown as RxJsonSchema<T>;
}

/** Replicated with the server: products and entitlements are pulled, sales and voids pushed. */
const SCHEMAS = {
  products: rxSchema<Product>(
    toRxJsonSchema(Product, { version: 1, primaryKey: 'id', indexes: [['name']], bounds: { name: { maxLength: 120 } } }),
  ),
  sales: rxSchema<Sale>(
    toRxJsonSchema(SaleShape, { version: 1, primaryKey: 'id', indexes: [['createdAt']], bounds: { createdAt: TIMESTAMP_BOUNDS } }),
  ),
  entitlements: rxSchema<EntitlementStatus>(
    toRxJsonSchema(EntitlementStatus, { version: 0, primaryKey: 'code', indexes: [['saleId']] }),
  ),
  voids: rxSchema<SaleVoid>(
    toRxJsonSchema(SaleVoid, {
      version: 0,
      primaryKey: 'id',
      indexes: [['saleId'], ['createdAt']],
      bounds: { createdAt: TIMESTAMP_BOUNDS },
    }),
  ),
  carts: rxSchema<CartDoc>(toRxJsonSchema(CartSchema, { version: 1, primaryKey: 'id' })),
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
  1: (product: Omit<Product, 'template'>): Product => ({ ...product, template: null }),
};
const SALE_MIGRATIONS = { 1: (sale: Sale): Sale => sale };
/** Cart lines may carry a gift since version 1; a version 0 cart simply has none. */
const CART_MIGRATIONS = { 1: (cart: CartDoc): CartDoc => cart };

export type EntitleCollections = {
  products: RxCollection<Product>;
  sales: RxCollection<Sale>;
  entitlements: RxCollection<EntitlementStatus>;
  voids: RxCollection<SaleVoid>;
  carts: RxCollection<CartDoc>;
  counters: RxCollection<CounterDoc>;
  sync_acks: RxCollection<SyncAckDoc>;
};
export type EntitleDatabase = RxDatabase<EntitleCollections>;

/**
 * Opens the POS's local store. Seven collections: RxDB's free tier allows 13 per process, so
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
  });
  await db.addCollections({
    products: { schema: SCHEMAS.products, migrationStrategies: PRODUCT_MIGRATIONS },
    sales: { schema: SCHEMAS.sales, migrationStrategies: SALE_MIGRATIONS },
    entitlements: { schema: SCHEMAS.entitlements },
    voids: { schema: SCHEMAS.voids },
    carts: { schema: SCHEMAS.carts, migrationStrategies: CART_MIGRATIONS },
    counters: { schema: SCHEMAS.counters },
    sync_acks: { schema: SCHEMAS.sync_acks },
  });
  return db;
}
