import { randomUUID } from 'node:crypto';
import { appendAuditEvent } from '../../shared/audit/audit-chain.ts';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { createTestApp } from '../../sync-server/test-support/harness.ts';
import { enrolTerminal, saleMaker, GIFT_25 } from '../../sync-server/test-support/sales.ts';

/**
 * A terminal enrolled on the in-process test app, `count` of its sales (one gift-card line of 1–3
 * cards) and the audit chain a till writes beside them (one event a sale): what the pushfast
 * scripts push.
 */
export async function salesWithAuditEvents(
  t: Awaited<ReturnType<typeof createTestApp>>,
  count: number,
) {
  const till = await enrolTerminal(t.app, await t.pairingCode());
  const makeSale = saleMaker(till);
  const sales: Sale[] = [];
  const audit: AuditEvent[] = [];
  for (let i = 0; i < count; i++) {
    const sale = await makeSale([{ ...GIFT_25, quantity: 1 + (i % 3) }]);
    sales.push(sale);
    audit.push(
      await appendAuditEvent(audit.at(-1) ?? null, {
        id: randomUUID(),
        storeId: till.storeId,
        terminalId: till.terminalId,
        kind: 'sale',
        staffId: null,
        subjectId: sale.id,
        detail: { receiptNumber: sale.receiptNumber, total: sale.total },
        createdAt: sale.createdAt,
      }),
    );
  }
  return { till, sales, audit };
}
