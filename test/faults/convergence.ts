import { expect } from 'vitest';
import { verifyAuditChain } from '../../shared/audit/audit-chain.ts';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import { codesOfSale } from '../../shared/schemas/sale.ts';
import { parseStoredEvent } from '../../sync-server/audit/stored-event.ts';
import type { Db } from '../../sync-server/db/schema.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';

/** What the convergence check needs to know of a terminal, simulated or real (RxDB). */
export type TerminalView = {
  readonly name: string;
  readonly terminalId: string;
  readonly storeId: string;
  /** Every sale the terminal wrote, and its whole audit chain. */
  readonly sales: readonly Sale[];
  readonly audit: readonly AuditEvent[];
  /** Documents still waiting for the server's acknowledgement. */
  readonly unsent: number;
  /** Documents the server refused. */
  readonly rejected: number;
  /** 5xx answers other than the 503 of a database that cannot save (where the view counts them). */
  readonly serverErrors?: number;
  /** The entitlement statuses the terminal pulled, by code. */
  readonly pulled: ReadonlyMap<string, Pick<EntitlementStatus, 'code' | 'saleId' | 'state'>>;
};

export type Convergence = {
  readonly terminals: number;
  readonly sales: number;
  readonly codes: number;
  /** Sales a terminal wrote that the server does not hold, or holds with other content. */
  readonly lost: number;
  /** Sales held twice (same id, same receipt of a terminal, or unknown to every terminal). */
  readonly doubled: number;
  /** Codes missing from their sale on the server, or held twice. */
  readonly missingCodes: number;
  readonly duplicateCodes: number;
  readonly unsent: number;
  readonly rejected: number;
  readonly serverErrors: number;
  /** Terminals whose pulled statuses differ from the server's. */
  readonly stalePulls: number;
  /** Terminals whose audit chain the server does not hold whole and verified. */
  readonly brokenChains: number;
  /** The first few problems, in words. */
  readonly problems: readonly string[];
};

const countBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/**
 * Compares every terminal with what the server stored (issue #6, "after each scenario"): each
 * sale exactly once with all its entitlements, no code twice, nothing left unsent, the pulled
 * state equal to the server's (of the codes each terminal issued), and every audit chain whole and verified on the server.
 */
export async function measureConvergence(
  db: Db,
  terminals: readonly TerminalView[],
): Promise<Convergence> {
  const problems: string[] = [];
  const note = (problem: string) => {
    if (problems.length < 10) problems.push(problem);
  };
  const terminalIds = terminals.map((terminal) => terminal.terminalId);
  const storeIds = [...new Set(terminals.map((terminal) => terminal.storeId))];
  const saleRows = await db
    .selectFrom('sales')
    .select(['id', 'terminal_id', 'receipt_number', 'body'])
    .where('store_id', 'in', storeIds)
    .execute();
  const codeRows = await db
    .selectFrom('entitlements')
    .select(['code', 'sale_id', 'state', 'terminal_id'])
    .where('store_id', 'in', storeIds)
    .execute();

  const written = terminals.flatMap((terminal) => terminal.sales);
  const writtenIds = new Set(written.map((sale) => sale.id));
  const rowsById = new Map(saleRows.map((row) => [row.id, row]));
  let lost = 0;
  for (const sale of written) {
    const row = rowsById.get(sale.id);
    if (row === undefined || row.body !== canonicalJson(sale)) {
      lost += 1;
      note(`sale ${sale.receiptNumber} is ${row ? 'different' : 'missing'} on the server`);
    }
  }
  /** How many more times than once each key occurs, noting each repeated key. */
  const repeats = <T>(items: readonly T[], key: (item: T) => string, what: string): number => {
    let extra = 0;
    for (const [value, count] of countBy(items, key)) {
      if (count < 2) continue;
      extra += count - 1;
      note(`${what} ${value} occurs ${String(count)} times`);
    }
    return extra;
  };
  let doubled =
    repeats(saleRows, (row) => row.id, 'sale') +
    repeats(saleRows, (row) => `${row.terminal_id}/${row.receipt_number}`, 'receipt');
  for (const row of saleRows) {
    if (!writtenIds.has(row.id) && terminalIds.includes(row.terminal_id)) {
      doubled += 1;
      note(`the server holds sale ${row.id} that no terminal wrote`);
    }
  }

  const saleOfCode = new Map(codeRows.map((row) => [row.code, row.sale_id]));
  const issued = written.flatMap((sale) => codesOfSale(sale).map((code) => ({ code, sale })));
  const duplicateCodes =
    repeats(codeRows, (row) => row.code, 'code on the server') +
    repeats(issued, (entry) => entry.code, 'issued code');
  let missingCodes = 0;
  for (const { code, sale } of issued) {
    if (saleOfCode.get(code) !== sale.id) {
      missingCodes += 1;
      note(`code ${code} of sale ${sale.receiptNumber} is not on the server with its sale`);
    }
  }

  // A terminal pulls the statuses of the codes it issued, and no other (server migration 0013).
  let stalePulls = 0;
  for (const terminal of terminals) {
    const own = codeRows.filter((row) => row.terminal_id === terminal.terminalId);
    const same =
      terminal.pulled.size === own.length &&
      own.every((row) => {
        const pulled = terminal.pulled.get(row.code);
        return pulled?.saleId === row.sale_id && pulled.state === row.state;
      });
    if (!same) {
      stalePulls += 1;
      note(
        `${terminal.name} pulled ${String(terminal.pulled.size)} statuses, the server has ${String(own.length)} of its codes`,
      );
    }
  }

  let brokenChains = 0;
  for (const terminal of terminals) {
    const rows = await db
      .selectFrom('audit_events')
      .select(['body', 'hash'])
      .where('terminal_id', '=', terminal.terminalId)
      .orderBy('seq')
      .execute();
    const events = rows.map((row) => parseStoredEvent(row.body));
    const parsed = events.filter((event): event is AuditEvent => event !== null);
    const report = await verifyAuditChain(parsed, { expectedLastSeq: terminal.audit.length });
    const status = await db
      .selectFrom('terminal_audit')
      .select(['status', 'verified_seq'])
      .where('terminal_id', '=', terminal.terminalId)
      .executeTakeFirst();
    const sameChain =
      parsed.length === terminal.audit.length &&
      parsed.every((event, i) => event.hash === terminal.audit[i]?.hash);
    const serverSays =
      terminal.audit.length === 0 ||
      (status?.status === 'ok' && status.verified_seq === terminal.audit.length);
    if (!report.ok || !sameChain || !serverSays) {
      brokenChains += 1;
      note(
        `${terminal.name}'s audit chain: ${String(parsed.length)}/${String(terminal.audit.length)} events on the server, ${report.problems[0]?.message ?? 'verifies'}, server status ${status?.status ?? 'none'} to ${String(status?.verified_seq ?? 0)}`,
      );
    }
  }

  const unsent = terminals.reduce((sum, terminal) => sum + terminal.unsent, 0);
  const rejected = terminals.reduce((sum, terminal) => sum + terminal.rejected, 0);
  const serverErrors = terminals.reduce((sum, terminal) => sum + (terminal.serverErrors ?? 0), 0);
  if (serverErrors > 0) note(`the server answered ${String(serverErrors)} unexpected 5xx`);
  if (unsent > 0) note(`${String(unsent)} documents are still unsent`);
  if (rejected > 0) note(`${String(rejected)} documents were refused`);
  return {
    terminals: terminals.length,
    sales: written.length,
    codes: issued.length,
    lost,
    doubled,
    missingCodes,
    duplicateCodes,
    unsent,
    rejected,
    serverErrors,
    stalePulls,
    brokenChains,
    problems,
  };
}

/** measureConvergence, failing the test unless every count of trouble is zero. */
export async function expectConverged(
  db: Db,
  terminals: readonly TerminalView[],
): Promise<Convergence> {
  const result = await measureConvergence(db, terminals);
  expect(result.problems).toEqual([]);
  expect(result).toMatchObject({
    lost: 0,
    doubled: 0,
    missingCodes: 0,
    duplicateCodes: 0,
    unsent: 0,
    rejected: 0,
    serverErrors: 0,
    stalePulls: 0,
    brokenChains: 0,
  });
  expect(result.sales).toBeGreaterThan(0);
  return result;
}
