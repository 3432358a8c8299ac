import type { Generated, Kysely, Transaction } from 'kysely';
import type {
  StaffTable,
  StoreSettingsTable,
  DashboardSessionsTable,
  AuditEventsTable,
  TerminalAuditTable,
  ShiftsTable,
  DashboardActionsTable,
} from './schema-staff-audit.ts';
import type { RateLimitsTable, SigninFailuresTable } from './schema-limits.ts';
export type {
  StaffTable,
  StoreSettingsTable,
  DashboardSessionsTable,
  AuditEventsTable,
  TerminalAuditTable,
  ShiftsTable,
  DashboardActionsTable,
} from './schema-staff-audit.ts';

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
  /** 0010: the unsynced documents the terminal last reported (entitle-pending), and when. */
  reported_pending: number | null;
  reported_pending_at: string | null;
  /** 0010: the last document the server refused from it, as "<kind> <id>: <reason>", and when. */
  last_refusal: string | null;
  last_refusal_at: string | null;
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
  /** 0007: what a scanner types for it. */
  barcode: string | null;
  /** 0007: its tax class; null for goods outside tax (gift cards). */
  tax_class_id: string | null;
}

export interface TaxClassesTable {
  id: string;
  store_id: string;
  name: string;
  milli_percent: number;
  inclusive: number;
  updated_at: string;
}

export interface PaymentIntentsTable {
  id: string;
  store_id: string;
  terminal_id: string;
  sale_id: string;
  amount: number;
  amount_captured: Generated<number>;
  amount_refunded: Generated<number>;
  currency: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface SaleRefundsTable {
  id: string;
  store_id: string;
  terminal_id: string;
  sale_id: string;
  receipt_number: string;
  amount: number;
  reason: string;
  taken_offline: number;
  /** Why a manager must look at this refund; null when nothing is wrong. */
  flag: string | null;
  /** When its codes were voided (null while its sale has not arrived). */
  applied_at: string | null;
  /** Canonical JSON of the SaleRefund as accepted. */
  body: string;
  created_at: string;
  received_at: string;
  seq: number;
}

/** A card refund made at Stripe (migration 0008): keyed by `${refundId}:${paymentIntentId}`. */
export interface CardRefundsTable {
  idempotency_key: string;
  refund_id: string;
  payment_intent_id: string;
  store_id: string;
  amount: number;
  stripe_refund_id: string;
  status: string;
  created_at: string;
}

export interface SalesTable {
  id: string;
  store_id: string;
  terminal_id: string;
  receipt_number: string;
  /** Canonical JSON of the sale as accepted (shared/canonical-json.ts). */
  body: string;
  /** The device's clock at the sale: recorded, never used for ordering. */
  created_at: string;
  received_at: string;
  seq: number;
  /** 0009: who sold it and in which shift, copied from the body for search and reports. */
  staff_id: string | null;
  shift_id: string | null;
}

export interface EntitlementsTable {
  code: string;
  store_id: string;
  sale_id: string;
  /**
   * The terminal that issued the code, its sale's (0013): a till pulls only its own codes'
   * statuses. Set on every insert; nullable in the table only because SQLite adds columns so.
   */
  terminal_id: string;
  product_id: string;
  product_name: string;
  kind: string;
  state: string;
  consumed_at: string | null;
  updated_at: string;
  seq: number;
  /** The customer account the code is claimed to (0003); not on the wire. */
  holder_account_id: string | null;
  /** The account made in the background for the sale's buyer e-mail (0003). */
  buyer_account_id: string | null;
  claimed_at: string | null;
  /** When the code stops being redeemable (template validity), or null if never (0006). */
  expires_at: string | null;
  /** JSON of the onboarding values the template asked for (0006). */
  onboarding: string | null;
  onboarded_at: string | null;
  activated_at: string | null;
  /** Gift or assign-later: the e-mail the buyer gave the code to, and when it was sent (0006). */
  given_to: string | null;
  given_at: string | null;
  /** A gift's send date, YYYY-MM-DD (0006). */
  gift_send_on: string | null;
  void_reason: string | null;
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

/** A customer; see migrations/0003-accounts.ts. `email` is trimmed and lower-cased. */
export interface AccountsTable {
  id: string;
  email: string;
  created_at: string;
}

/** 'provisional-claim': a genuine code whose sale has not synced yet (0004). */
export type LoginPurpose = 'sign-in' | 'claim' | 'provisional-claim';

/** A magic link: only the SHA-256 of its token, hex; single use, short-lived. */
export interface LoginTokensTable {
  token_hash: string;
  email: string;
  purpose: LoginPurpose;
  /** The code to claim when `purpose` is 'claim'. */
  code: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A signed-in browser: only the SHA-256 of the cookie's id, hex. */
export interface SessionsTable {
  id_hash: string;
  account_id: string;
  /** Sent in the hidden `csrf` field of signed-in forms. */
  csrf_token: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** One state change of a code: who (`customer:<id>`, `terminal:<id>`, `system`, `anonymous`), when, why. */
export interface EntitlementEventsTable {
  id: string;
  code: string;
  from_state: string;
  to_state: string;
  actor: string;
  reason: string;
  at: string;
}

/** templates/: what a product's sale issues; `template` is ProductTemplate JSON (0005). */
export interface ProductTemplatesTable {
  product_id: string;
  template: string;
  updated_at: string;
}

/** gift-cards/: one movement of a card's money; the balance is the sum (0005). */
export interface GiftCardLedgerTable {
  id: string;
  code: string;
  kind: 'issue' | 'spend' | 'refund';
  /** Minor units, always above zero; `kind` gives the sign. */
  amount: number;
  currency: string;
  reference: string | null;
  actor: string;
  idempotency_key: string | null;
  balance_after: number;
  created_at: string;
}

export type ProvisionalClaimState = 'waiting' | 'activated' | 'cancelled';

/** A code claimed before its sale arrived; see migrations/0004-provisional-claims.ts. */
export interface ProvisionalClaimsTable {
  code: string;
  account_id: string;
  /** The store and terminal of the key the code's MAC verified under. */
  store_id: string;
  terminal_id: string;
  created_at: string;
  /** created_at + PROVISIONAL_CLAIM_DAYS: a waiting claim is cancelled after it. */
  expires_at: string;
  state: ProvisionalClaimState;
  /** Why a claim was cancelled, in words for the customer; null otherwise. */
  reason: string | null;
  /** JSON of onboarding values given before the sale arrived (0006). */
  onboarding: string | null;
  onboarded_at: string | null;
}

/** One seat of a licence code, held by one person (0006). */
export interface SeatAssignmentsTable {
  code: string;
  seat: number;
  email: string;
  assigned_at: string;
  /** An actor, as in entitlement_events. */
  assigned_by: string;
}

/** A signed licence file handed out for a code; a reassignment supersedes it (0006). */
export interface LicenceFilesTable {
  id: string;
  code: string;
  body: string;
  issued_at: string;
  superseded_at: string | null;
}

/** The server's own signing keys, e.g. 'licence' (Ed25519); private halves sealed (0006). */
export interface SigningKeysTable {
  name: string;
  public_key: string;
  private_key_enc: string;
  created_at: string;
}

/** A void a terminal pushed; it may arrive before its sale (0006). */
export interface SaleVoidsTable {
  id: string;
  store_id: string;
  terminal_id: string;
  sale_id: string;
  receipt_number: string;
  reason: string;
  /** Canonical JSON of the SaleVoid as accepted. */
  body: string;
  created_at: string;
  received_at: string;
  seq: number;
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
  accounts: AccountsTable;
  login_tokens: LoginTokensTable;
  sessions: SessionsTable;
  entitlement_events: EntitlementEventsTable;
  provisional_claims: ProvisionalClaimsTable;
  product_templates: ProductTemplatesTable;
  gift_card_ledger: GiftCardLedgerTable;
  seat_assignments: SeatAssignmentsTable;
  licence_files: LicenceFilesTable;
  signing_keys: SigningKeysTable;
  sale_voids: SaleVoidsTable;
  tax_classes: TaxClassesTable;
  payment_intents: PaymentIntentsTable;
  sale_refunds: SaleRefundsTable;
  card_refunds: CardRefundsTable;
  staff: StaffTable;
  store_settings: StoreSettingsTable;
  dashboard_sessions: DashboardSessionsTable;
  audit_events: AuditEventsTable;
  terminal_audit: TerminalAuditTable;
  shifts: ShiftsTable;
  dashboard_actions: DashboardActionsTable;
  rate_limits: RateLimitsTable;
  signin_failures: SigninFailuresTable;
}

export type Db = Kysely<Database>;
/** Either the database or an open transaction: services that compose take this. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
/** An open transaction (db/transaction.ts inTransaction). */
export type Trx = Transaction<Database>;
