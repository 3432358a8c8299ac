import type { Kysely, Transaction } from 'kysely';

/**
 * Row types of the SQL tables. Kept portable between SQLite and PostgreSQL: timestamps are ISO
 * 8601 strings in UTC (they sort as text), JSON is TEXT, booleans are integers 0/1 because
 * better-sqlite3 cannot bind a JS boolean.
 */
export interface StoresTable {
  id: string;
  name: string;
  currency: string;
  created_at: string;
}

export interface TerminalsTable {
  id: string;
  store_id: string;
  name: string;
  code_prefix: string;
  /** SHA-256 of the bearer token, hex. The token itself is never stored. */
  token_hash: string;
  /** The code key sealed with AES-256-GCM under the master key; see keys/seal.ts. */
  code_key_enc: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

export interface PairingCodesTable {
  /** SHA-256 of the normalised code, hex. */
  code_hash: string;
  store_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ProductsTable {
  id: string;
  store_id: string;
  name: string;
  description: string;
  kind: string;
  price: number;
  currency: string;
  active: number;
  updated_at: string;
  seq: number;
}

export interface SalesTable {
  id: string;
  store_id: string;
  terminal_id: string;
  receipt_number: string;
  /** Canonical JSON of the sale as accepted (sync/canonical-json.ts). */
  body: string;
  /** The device's clock at the sale: recorded, never used for ordering. */
  created_at: string;
  received_at: string;
  seq: number;
}

export interface EntitlementsTable {
  code: string;
  store_id: string;
  sale_id: string;
  product_id: string;
  product_name: string;
  kind: string;
  state: string;
  consumed_at: string | null;
  updated_at: string;
  seq: number;
}

/** outbox/: one side effect to deliver; see migrations/0002-outbox.ts. */
export interface OutboxTable {
  id: string;
  kind: string;
  /** Unique: the same effect enqueued twice is one row; mailers use it as the Message-ID. */
  idempotency_key: string;
  /** JSON text. */
  payload: string;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface Database {
  stores: StoresTable;
  terminals: TerminalsTable;
  pairing_codes: PairingCodesTable;
  products: ProductsTable;
  sales: SalesTable;
  entitlements: EntitlementsTable;
  counters: CountersTable;
  outbox: OutboxTable;
}

export type Db = Kysely<Database>;
/** Either the database or an open transaction: services that compose take this. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
