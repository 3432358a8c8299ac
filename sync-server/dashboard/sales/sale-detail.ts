import { z } from 'zod';
import type { DbOrTrx } from '../../db/schema.ts';
import { nonEmpty, summaryOf, type SaleBodySummary } from './sales-query.ts';

/** The parts of voids and refunds the sale page shows; bodies were validated on arrival. */
const FactPeople = z.object({
  staffId: z.string().nullable().optional(),
  approvedBy: z.string().nullable().optional(),
});

export type SaleFact = {
  readonly id: string;
  readonly kind: 'void' | 'refund';
  readonly reason: string;
  /** Minor units; a void returns the whole sale. */
  readonly amount: number;
  readonly createdAt: string;
  readonly staffName: string | null;
  readonly approvedByName: string | null;
  /** Why a manager must look at it (refunds taken offline that met a used code). */
  readonly flag: string | null;
};

export type SaleDetail = {
  readonly id: string;
  readonly storeId: string;
  readonly storeName: string;
  readonly terminalName: string;
  readonly receiptNumber: string;
  readonly createdAt: string;
  readonly receivedAt: string;
  readonly staffName: string | null;
  readonly shiftId: string | null;
  readonly discountApprovedByName: string | null;
  readonly body: SaleBodySummary;
  readonly codes: readonly {
    code: string;
    state: string;
    productName: string;
    expiresAt: string | null;
  }[];
  readonly facts: readonly SaleFact[];
};

/** One sale with everything a manager asks about it, or undefined outside the user's stores. */
export async function saleDetail(
  db: DbOrTrx,
  storeIds: readonly string[],
  saleId: string,
): Promise<SaleDetail | undefined> {
  const row = await db
    .selectFrom('sales')
    .innerJoin('stores', 'stores.id', 'sales.store_id')
    .innerJoin('terminals', 'terminals.id', 'sales.terminal_id')
    .select([
      'sales.id',
      'sales.store_id',
      'sales.receipt_number',
      'sales.created_at',
      'sales.received_at',
      'sales.body',
      'sales.staff_id',
      'sales.shift_id',
      'stores.name as store_name',
      'terminals.name as terminal_name',
    ])
    .where('sales.id', '=', saleId)
    .where('sales.store_id', 'in', nonEmpty(storeIds))
    .executeTakeFirst();
  if (!row) return undefined;
  const body = summaryOf(row.body);
  const approver = z
    .object({ discountApprovedBy: z.string().nullable().optional() })
    .parse(JSON.parse(row.body)).discountApprovedBy;
  const [codes, voids, refunds] = await Promise.all([
    db
      .selectFrom('entitlements')
      .select(['code', 'state', 'product_name', 'expires_at'])
      .where('sale_id', '=', saleId)
      .orderBy('code')
      .execute(),
    db
      .selectFrom('sale_voids')
      .select(['id', 'reason', 'created_at', 'body'])
      .where('sale_id', '=', saleId)
      .where('store_id', '=', row.store_id)
      .execute(),
    db
      .selectFrom('sale_refunds')
      .select(['id', 'reason', 'created_at', 'body', 'amount', 'flag'])
      .where('sale_id', '=', saleId)
      .where('store_id', '=', row.store_id)
      .execute(),
  ]);
  const people = new Set<string>();
  const factPeople = [...voids, ...refunds].map((fact) => FactPeople.parse(JSON.parse(fact.body)));
  for (const id of [
    row.staff_id,
    approver,
    ...factPeople.flatMap((p) => [p.staffId, p.approvedBy]),
  ]) {
    if (typeof id === 'string') people.add(id);
  }
  const names = await staffNames(db, [...people]);
  const nameOf = (id: string | null | undefined) => (id ? (names.get(id) ?? id) : null);
  const facts: SaleFact[] = [
    ...voids.map((fact, index) => ({
      id: fact.id,
      kind: 'void' as const,
      reason: fact.reason,
      amount: body.total,
      createdAt: fact.created_at,
      staffName: nameOf(factPeople[index]?.staffId),
      approvedByName: nameOf(factPeople[index]?.approvedBy),
      flag: null,
    })),
    ...refunds.map((fact, index) => ({
      id: fact.id,
      kind: 'refund' as const,
      reason: fact.reason,
      amount: fact.amount,
      createdAt: fact.created_at,
      staffName: nameOf(factPeople[voids.length + index]?.staffId),
      approvedByName: nameOf(factPeople[voids.length + index]?.approvedBy),
      flag: fact.flag,
    })),
  ].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return {
    id: row.id,
    storeId: row.store_id,
    storeName: row.store_name,
    terminalName: row.terminal_name,
    receiptNumber: row.receipt_number,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    staffName: nameOf(row.staff_id),
    shiftId: row.shift_id,
    discountApprovedByName: nameOf(approver),
    body,
    codes: codes.map((code) => ({
      code: code.code,
      state: code.state,
      productName: code.product_name,
      expiresAt: code.expires_at,
    })),
    facts,
  };
}

/** Staff names by id; an id with no staff row (deleted, or from another server) is left out. */
export async function staffNames(
  db: DbOrTrx,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
