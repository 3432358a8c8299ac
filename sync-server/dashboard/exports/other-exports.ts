import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AuditKind } from '../../../shared/audit/audit-event.ts';
import { DocumentId } from '../../../shared/schemas/common.ts';
import { EntitlementState } from '../../../shared/schemas/entitlement.ts';
import type { DbOrTrx } from '../../db/schema.ts';
import { dayRange } from '../sales/sale-filters.ts';
import { nonEmpty } from '../sales/sales-query.ts';
import { csvStream, keysetPages } from './csv-stream.ts';

const blankIsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const EntitlementFilters = z.object({
  state: blankIsAbsent(EntitlementState),
  product: blankIsAbsent(DocumentId),
  store: blankIsAbsent(DocumentId),
});
export type EntitlementFilters = z.infer<typeof EntitlementFilters>;

function matchingEntitlements(db: DbOrTrx, storeIds: readonly string[], f: EntitlementFilters) {
  let query = db
    .selectFrom('entitlements')
    .where('entitlements.store_id', 'in', nonEmpty(storeIds));
  if (f.store !== undefined) query = query.where('entitlements.store_id', '=', f.store);
  if (f.state !== undefined) query = query.where('entitlements.state', '=', f.state);
  if (f.product !== undefined) query = query.where('entitlements.product_id', '=', f.product);
  return query;
}

/** Every matching code in the server's order (seq). */
export function entitlementsCsv(
  db: DbOrTrx,
  storeIds: readonly string[],
  filters: EntitlementFilters,
): Readable {
  const pages = keysetPages(
    (after: number | null, limit) => {
      let query = matchingEntitlements(db, storeIds, filters)
        .innerJoin('sales', 'sales.id', 'entitlements.sale_id')
        .select([
          'entitlements.seq',
          'entitlements.code',
          'entitlements.state',
          'entitlements.product_name',
          'entitlements.kind',
          'entitlements.sale_id',
          'entitlements.expires_at',
          'entitlements.claimed_at',
          'entitlements.consumed_at',
          'entitlements.given_to',
          'entitlements.void_reason',
          'entitlements.updated_at',
          'sales.receipt_number',
        ])
        .orderBy('entitlements.seq')
        .limit(limit);
      if (after !== null) query = query.where('entitlements.seq', '>', after);
      return query.execute();
    },
    (row) => row.seq,
  );
  const header = [
    'code',
    'state',
    'product',
    'kind',
    'receipt_number',
    'sale_id',
    'expires_at',
    'claimed_at',
    'consumed_at',
    'given_to',
    'void_reason',
    'updated_at',
  ];
  return csvStream(header, pages, (row) => [
    row.code,
    row.state,
    row.product_name,
    row.kind,
    row.receipt_number,
    row.sale_id,
    row.expires_at,
    row.claimed_at,
    row.consumed_at,
    row.given_to,
    row.void_reason,
    row.updated_at,
  ]);
}

export async function countEntitlements(
  db: DbOrTrx,
  storeIds: readonly string[],
  filters: EntitlementFilters,
): Promise<number> {
  const row = await matchingEntitlements(db, storeIds, filters)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export const AuditFilters = z
  .object({
    terminal: blankIsAbsent(DocumentId),
    kind: blankIsAbsent(AuditKind),
    from: blankIsAbsent(z.iso.date('Dates are written as YYYY-MM-DD.')),
    to: blankIsAbsent(z.iso.date('Dates are written as YYYY-MM-DD.')),
    store: blankIsAbsent(DocumentId),
  })
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, {
    error: 'The start date is after the end date.',
    path: ['to'],
  });
export type AuditFilters = z.infer<typeof AuditFilters>;

export function matchingAuditEvents(db: DbOrTrx, storeIds: readonly string[], f: AuditFilters) {
  let query = db
    .selectFrom('audit_events')
    .where('audit_events.store_id', 'in', nonEmpty(storeIds));
  if (f.store !== undefined) query = query.where('audit_events.store_id', '=', f.store);
  if (f.terminal !== undefined) query = query.where('audit_events.terminal_id', '=', f.terminal);
  if (f.kind !== undefined) query = query.where('audit_events.kind', '=', f.kind);
  const { fromIso, toIsoExclusive } = dayRange(f.from, f.to);
  if (fromIso !== undefined) query = query.where('audit_events.created_at', '>=', fromIso);
  if (toIsoExclusive !== undefined) {
    query = query.where('audit_events.created_at', '<', toIsoExclusive);
  }
  return query;
}

type AuditKey = { terminal: string; seq: number; id: string };

/**
 * Every matching audit event, terminal by terminal in chain order. The key is (terminal, seq,
 * id): a forged second event claiming a taken seq is kept by the server, and exported too.
 */
export function auditEventsCsv(
  db: DbOrTrx,
  storeIds: readonly string[],
  filters: AuditFilters,
): Readable {
  const pages = keysetPages(
    (after: AuditKey | null, limit) => {
      let query = matchingAuditEvents(db, storeIds, filters)
        .innerJoin('terminals', 'terminals.id', 'audit_events.terminal_id')
        .leftJoin('staff', 'staff.id', 'audit_events.staff_id')
        .select([
          'audit_events.id',
          'audit_events.terminal_id',
          'audit_events.seq',
          'audit_events.kind',
          'audit_events.staff_id',
          'audit_events.subject_id',
          'audit_events.body',
          'audit_events.created_at',
          'audit_events.received_at',
          'audit_events.hash',
          'terminals.name as terminal_name',
          'staff.name as staff_name',
        ])
        .orderBy('audit_events.terminal_id')
        .orderBy('audit_events.seq')
        .orderBy('audit_events.id')
        .limit(limit);
      if (after !== null) {
        query = query.where((eb) =>
          eb.or([
            eb('audit_events.terminal_id', '>', after.terminal),
            eb.and([
              eb('audit_events.terminal_id', '=', after.terminal),
              eb('audit_events.seq', '>', after.seq),
            ]),
            eb.and([
              eb('audit_events.terminal_id', '=', after.terminal),
              eb('audit_events.seq', '=', after.seq),
              eb('audit_events.id', '>', after.id),
            ]),
          ]),
        );
      }
      return query.execute();
    },
    (row) => ({ terminal: row.terminal_id, seq: row.seq, id: row.id }),
  );
  const header = [
    'terminal',
    'seq',
    'kind',
    'staff',
    'subject_id',
    'detail',
    'created_at',
    'received_at',
    'event_id',
    'hash',
  ];
  return csvStream(header, pages, (row) => [
    row.terminal_name,
    row.seq,
    row.kind,
    row.staff_name ?? row.staff_id,
    row.subject_id,
    detailText(row.body),
    row.created_at,
    row.received_at,
    row.id,
    row.hash,
  ]);
}

/** The event's detail as `key=value; …`, readable in a spreadsheet cell. */
function detailText(body: string): string {
  const parsed = z
    .object({ detail: z.record(z.string(), z.unknown()) })
    .safeParse(JSON.parse(body));
  if (!parsed.success) return '';
  return Object.entries(parsed.data.detail)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('; ');
}

export async function countAuditEvents(
  db: DbOrTrx,
  storeIds: readonly string[],
  filters: AuditFilters,
): Promise<number> {
  const row = await matchingAuditEvents(db, storeIds, filters)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
