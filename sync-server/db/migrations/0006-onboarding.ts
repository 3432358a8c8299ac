import type { Kysely, Migration } from 'kysely';

/**
 * Deferred onboarding (issue #3): what a code's holder registered, when it expires, who it was
 * given to; seats of licences and the signed licence files; the server's signing key; voids
 * pushed by terminals. Nullable columns only, so existing rows need no backfill.
 */
export const onboarding: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('entitlements').addColumn('expires_at', 'text').execute();
    for (const column of [
      // JSON of the onboarding values the template asked for (shared/templates).
      'onboarding',
      'onboarded_at',
      'activated_at',
      // Gift or assign-later: the e-mail the buyer gave the code to, and when it was sent.
      'given_to',
      'given_at',
      // A gift's send date (YYYY-MM-DD): the recipient is e-mailed on it.
      'gift_send_on',
      'void_reason',
    ]) {
      await db.schema.alterTable('entitlements').addColumn(column, 'text').execute();
    }
    await db.schema
      .createIndex('entitlements_state_expires')
      .on('entitlements')
      .columns(['state', 'expires_at'])
      .execute();

    // A provisional claim may be onboarded before its sale arrives; the values wait here.
    await db.schema.alterTable('provisional_claims').addColumn('onboarding', 'text').execute();
    await db.schema.alterTable('provisional_claims').addColumn('onboarded_at', 'text').execute();

    await db.schema
      .createTable('seat_assignments')
      .addColumn('code', 'text', (col) => col.notNull().references('entitlements.code'))
      .addColumn('seat', 'integer', (col) => col.notNull())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('assigned_at', 'text', (col) => col.notNull())
      .addColumn('assigned_by', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('seat_assignments_pk', ['code', 'seat'])
      .execute();
    await db.schema
      .createIndex('seat_assignments_email')
      .on('seat_assignments')
      .column('email')
      .execute();

    await db.schema
      .createTable('licence_files')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('code', 'text', (col) => col.notNull().references('entitlements.code'))
      // The signed LicenceFile JSON exactly as handed out.
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('issued_at', 'text', (col) => col.notNull())
      .addColumn('superseded_at', 'text')
      .execute();
    await db.schema.createIndex('licence_files_code').on('licence_files').column('code').execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('public_key', 'text', (col) => col.notNull())
      // Sealed under the master key (keys/seal.ts), like the terminals' code keys.
      .addColumn('private_key_enc', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('sale_voids')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('store_id', 'text', (col) => col.notNull())
      .addColumn('terminal_id', 'text', (col) => col.notNull())
      // Not a foreign key: a void may reach the server before the sale it voids.
      .addColumn('sale_id', 'text', (col) => col.notNull().unique())
      .addColumn('receipt_number', 'text', (col) => col.notNull())
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('received_at', 'text', (col) => col.notNull())
      .addColumn('seq', 'integer', (col) => col.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('sale_voids').execute();
    await db.schema.dropTable('signing_keys').execute();
    await db.schema.dropIndex('licence_files_code').execute();
    await db.schema.dropTable('licence_files').execute();
    await db.schema.dropIndex('seat_assignments_email').execute();
    await db.schema.dropTable('seat_assignments').execute();
    await db.schema.alterTable('provisional_claims').dropColumn('onboarded_at').execute();
    await db.schema.alterTable('provisional_claims').dropColumn('onboarding').execute();
    await db.schema.dropIndex('entitlements_state_expires').execute();
    for (const column of [
      'void_reason',
      'gift_send_on',
      'given_at',
      'given_to',
      'activated_at',
      'onboarded_at',
      'onboarding',
      'expires_at',
    ]) {
      await db.schema.alterTable('entitlements').dropColumn(column).execute();
    }
  },
};
