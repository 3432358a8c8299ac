/**
 * Row types of the tables of migration 0009 (staff, shifts, audit and the dashboard), kept
 * apart from schema.ts so each file stays readable; schema.ts re-exports them.
 */

/** 0009: people at the counters and on the dashboard. */
export interface StaffTable {
  id: string;
  /** null: an admin of every store. */
  store_id: string | null;
  name: string;
  role: 'cashier' | 'manager' | 'admin';
  /** JSON of shared PinHash; null: cannot sign in at a counter. */
  pin_hash: string | null;
  /** Dashboard sign-in (lower-cased); null: cannot sign in to the dashboard. */
  email: string | null;
  password_hash: string | null;
  active: number;
  created_at: string;
  updated_at: string;
  seq: number;
}

export interface StoreSettingsTable {
  store_id: string;
  discount_approval_milli_percent: number;
  idle_lock_seconds: number;
  updated_at: string;
  seq: number;
}

export interface DashboardSessionsTable {
  id_hash: string;
  staff_id: string;
  csrf_token: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  id: string;
  store_id: string;
  terminal_id: string;
  seq: number;
  prev_hash: string;
  hash: string;
  kind: string;
  staff_id: string | null;
  subject_id: string | null;
  /** Canonical JSON of the AuditEvent as pushed. */
  body: string;
  created_at: string;
  received_at: string;
}

export interface TerminalAuditTable {
  terminal_id: string;
  store_id: string;
  verified_seq: number;
  verified_hash: string;
  last_seq: number;
  status: 'ok' | 'broken';
  /** JSON array of shared AuditProblem. */
  problems: string;
  checked_at: string;
}

export interface ShiftsTable {
  id: string;
  store_id: string;
  terminal_id: string;
  opened_by: string | null;
  opened_at: string;
  float: number;
  cash_in: number;
  cash_out: number;
  closed_by: string | null;
  closed_at: string | null;
  /** JSON of shared ShiftCloseDetail. */
  close_detail: string | null;
}

export interface DashboardActionsTable {
  id: string;
  store_id: string | null;
  staff_id: string;
  action: string;
  subject: string;
  /** JSON object. */
  detail: string;
  at: string;
}
