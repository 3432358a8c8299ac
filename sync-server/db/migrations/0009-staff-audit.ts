import type { Kysely, Migration } from 'kysely';

/**
 * Staff, shifts, audit and the manager's dashboard (issue #5).
 * - `staff`: people at the counters and in the back office. A PIN hash (JSON of shared PinHash)
 *   for the counter, an e-mail and password hash for the dashboard; either may be absent.
 *   `store_id` null is an admin of every store. Pulled by terminals, so it carries `seq`.
 * - `store_settings`: a store's counter rules (discount approval limit, idle lock), pulled too.
 * - `dashboard_sessions`: a signed-in manager's browser; only the SHA-256 of the cookie's id.
 * - `audit_events`: every terminal's hash-chained events, stored as pushed (not unique on
 *   (terminal, seq): a second event claiming a taken seq is kept and flagged, never dropped).
 * - `terminal_audit`: how far each terminal's chain has been verified and what is wrong with it.
 * - `shifts`: projected from shift audit events, for reports and the dashboard.
 * - `dashboard_actions`: what managers did on the dashboard (void, resend, extend, revoke, …).
 * - `sales.staff_id` / `sales.shift_id`: copied from the sale for search and reports.
 */
export const staffAudit: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('staff')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.references('stores.id'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('pin_hash', 'text')
      .addColumn('email', 'text', (col) => col.unique())
      .addColumn('password_hash', 'text')
      .addColumn('active', 'integer', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addColumn('seq', 'integer', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('staff_store_seq')
      .on('staff')
      .columns(['store_id', 'seq'])
      .execute();

    await db.schema
      .createTable('store_settings')
      .addColumn('store_id', 'text', (col) => col.primaryKey().references('stores.id'))
      .addColumn('discount_approval_milli_percent', 'integer', (col) => col.notNull())
      .addColumn('idle_lock_seconds', 'integer', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addColumn('seq', 'integer', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('dashboard_sessions')
      .addColumn('id_hash', 'text', (col) => col.primaryKey())
      .addColumn('staff_id', 'text', (col) => col.notNull().references('staff.id'))
      .addColumn('csrf_token', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('last_used_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull())
      .addColumn('terminal_id', 'text', (col) => col.notNull())
      .addColumn('seq', 'integer', (col) => col.notNull())
      .addColumn('prev_hash', 'text', (col) => col.notNull())
      .addColumn('hash', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('staff_id', 'text')
      .addColumn('subject_id', 'text')
      // Canonical JSON of the AuditEvent as pushed: what the hash is checked against.
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('received_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('audit_events_terminal_seq')
      .on('audit_events')
      .columns(['terminal_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('audit_events_subject')
      .on('audit_events')
      .columns(['subject_id'])
      .execute();
    await db.schema
      .createIndex('audit_events_store_created')
      .on('audit_events')
      .columns(['store_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('terminal_audit')
      .addColumn('terminal_id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull())
      // The contiguous, verified prefix of the chain: seq 1 … verified_seq, ending in verified_hash.
      .addColumn('verified_seq', 'integer', (col) => col.notNull())
      .addColumn('verified_hash', 'text', (col) => col.notNull())
      // The highest seq ever received: deleting from the end is caught against it.
      .addColumn('last_seq', 'integer', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull()) // 'ok' | 'broken'
      // JSON array of shared AuditProblem, sorted by seq; [] when intact.
      .addColumn('problems', 'text', (col) => col.notNull())
      .addColumn('checked_at', 'text', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('shifts')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull())
      .addColumn('terminal_id', 'text', (col) => col.notNull())
      .addColumn('opened_by', 'text')
      .addColumn('opened_at', 'text', (col) => col.notNull())
      .addColumn('float', 'integer', (col) => col.notNull())
      .addColumn('cash_in', 'integer', (col) => col.notNull())
      .addColumn('cash_out', 'integer', (col) => col.notNull())
      .addColumn('closed_by', 'text')
      .addColumn('closed_at', 'text')
      // JSON of shared ShiftCloseDetail once closed.
      .addColumn('close_detail', 'text')
      .execute();
    await db.schema
      .createIndex('shifts_store_opened')
      .on('shifts')
      .columns(['store_id', 'opened_at'])
      .execute();

    await db.schema
      .createTable('dashboard_actions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text')
      .addColumn('staff_id', 'text', (col) => col.notNull())
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('subject', 'text', (col) => col.notNull())
      // JSON object: what changed, from what to what, and why.
      .addColumn('detail', 'text', (col) => col.notNull())
      .addColumn('at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('dashboard_actions_subject')
      .on('dashboard_actions')
      .columns(['subject'])
      .execute();

    await db.schema.alterTable('sales').addColumn('staff_id', 'text').execute();
    await db.schema.alterTable('sales').addColumn('shift_id', 'text').execute();
    await db.schema
      .createIndex('sales_store_staff')
      .on('sales')
      .columns(['store_id', 'staff_id'])
      .execute();
    await db.schema
      .createIndex('sales_store_created')
      .on('sales')
      .columns(['store_id', 'created_at'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('sales_store_created').execute();
    await db.schema.dropIndex('sales_store_staff').execute();
    await db.schema.alterTable('sales').dropColumn('shift_id').execute();
    await db.schema.alterTable('sales').dropColumn('staff_id').execute();
    for (const table of [
      'dashboard_actions',
      'shifts',
      'terminal_audit',
      'audit_events',
      'dashboard_sessions',
      'store_settings',
      'staff',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
