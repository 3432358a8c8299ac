import type { FastifyInstance } from 'fastify';
import { appendAuditEvent } from '../../shared/audit/audit-chain.ts';
import {
  hashAuditEvent,
  type AuditEvent,
  type AuditEventInput,
} from '../../shared/audit/audit-event.ts';
import type { EnrolResponse, PushResponse } from '../../shared/schemas/protocol.ts';
import { TEST_START } from '../test-support/harness.ts';
import { pushFacts } from '../test-support/sales.ts';

/** Test support for the audit tests: a terminal's chain built the way the counter builds it. */

export type EventOverrides = Partial<Omit<AuditEventInput, 'storeId' | 'terminalId'>>;

/** Appends `count` sale events (or what `over(n)` says) to `chain`, as the counter does. */
export async function extendChain(
  till: Pick<EnrolResponse, 'storeId' | 'terminalId'>,
  chain: AuditEvent[],
  count: number,
  over: (n: number) => EventOverrides = () => ({}),
): Promise<AuditEvent[]> {
  for (let i = 0; i < count; i++) {
    const n = chain.length + 1;
    chain.push(
      await appendAuditEvent(chain.at(-1) ?? null, {
        id: `${till.terminalId}_${n}`,
        storeId: till.storeId,
        terminalId: till.terminalId,
        kind: 'sale',
        staffId: null,
        subjectId: `sale-${n}`,
        detail: { total: n * 100 },
        createdAt: TEST_START,
        ...over(n),
      }),
    );
  }
  return chain;
}

/** An event with other content and its own hash recomputed: right in itself, wrong in the chain. */
export async function forged(event: AuditEvent, change: Partial<AuditEvent>): Promise<AuditEvent> {
  const { hash: _hash, ...rest } = { ...event, ...change };
  return { ...rest, hash: await hashAuditEvent(rest) };
}

export async function pushAudit(
  app: FastifyInstance,
  token: string,
  events: readonly unknown[],
): Promise<PushResponse> {
  const response = await pushFacts(app, token, 'audit', events);
  if (response.statusCode !== 200) {
    throw new Error(`Audit push refused: ${response.statusCode} ${response.body}`);
  }
  return response.json<PushResponse>();
}
