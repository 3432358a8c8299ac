/** Every terminal API route (JSON, bearer token) and what a valid request to it looks like. */
import { isIP } from 'node:net';
import type { Target } from './target.ts';
import { apiTarget } from './target.ts';
import { reversalsOf, type World } from './world.ts';

const rows = (documents: readonly unknown[]) => ({
  rows: documents.map((document) => ({
    newDocumentState: { _deleted: false, ...(document as object) },
    assumedMasterState: null,
  })),
});

const saleParams = (w: World) => ({
  saleId: [w.sale.id, w.strangerSale.id, w.freshSale.id],
});
const codeParams = (w: World) => ({
  code: [w.codes.gift, w.codes.voucher, w.codes.licence, w.strangerCode],
});
const intentParams = (w: World) => ({ id: [w.intentId, 'pi_000000000000'] });

const PULL_QUERY = { keys: ['seq', 'limit'], valid: { seq: '0', limit: '10' } };

/**
 * A print job may only reach the loopback address with the world's (closed) printer port: a
 * fuzzed host name would be looked up in DNS and a private address connected to, so any other
 * host gets a port the server refuses before resolving anything.
 */
function tamePrint(body: unknown, w: World): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const job = body as Record<string, unknown>;
  const host = job.host;
  const loopback = typeof host === 'string' && isIP(host) !== 0 && host.trim() === '127.0.0.1';
  return loopback || job.port !== w.printerPort ? job : { ...job, port: 1 };
}

export function apiTargets(): Target[] {
  return [
    apiTarget('GET /health', {}),
    apiTarget('POST /api/v1/enrol', {
      body: (w) => ({ pairingCode: w.pairingCode, terminalName: 'Till 9' }),
    }),
    apiTarget('POST /api/v1/enrol/demo', { body: () => ({ terminalName: 'Till 9' }) }),
    apiTarget('POST /api/v1/entitlements/:code/consume', { params: codeParams }),
    ...['products', 'entitlements', 'staff', 'settings'].map((collection) =>
      apiTarget(`GET /api/v1/sync/${collection}/pull`, { query: PULL_QUERY }),
    ),
    // A stream that is accepted never ends, so only refusals are sent (no or a foreign token).
    apiTarget('GET /api/v1/sync/stream', { refusedOnly: true, query: PULL_QUERY }),
    apiTarget('POST /api/v1/sync/sales/push', { body: (w) => rows([w.freshSale]) }),
    apiTarget('POST /api/v1/sync/voids/push', { body: (w) => rows([reversalsOf(w).void]) }),
    apiTarget('POST /api/v1/sync/refunds/push', { body: (w) => rows([reversalsOf(w).refund]) }),
    apiTarget('POST /api/v1/sync/audit/push', { body: (w) => rows(w.audit) }),
    apiTarget('POST /api/v1/sales/:saleId/resend-receipt', {
      params: saleParams,
      body: () => ({ email: 'again@example.test' }),
    }),
    apiTarget('POST /api/v1/sales/:saleId/refund-check', {
      params: saleParams,
      body: (w) => ({ lineIds: w.sale.lines.map((line) => line.lineId) }),
    }),
    apiTarget('GET /api/v1/gift-cards/:code', { params: codeParams }),
    apiTarget('POST /api/v1/gift-cards/:code/spend', {
      params: codeParams,
      body: () => ({ amount: 500, reference: 'Order 12', idempotencyKey: 'spend-1' }),
    }),
    apiTarget('GET /api/v1/payments/status', {}),
    apiTarget('POST /api/v1/payments/connection-token', {}),
    apiTarget('POST /api/v1/payments/intents', {
      body: (w) => ({ saleId: w.freshSale.id, amount: 1200, attempt: 2 }),
    }),
    apiTarget('POST /api/v1/payments/intents/:id/capture', { params: intentParams }),
    apiTarget('POST /api/v1/payments/intents/:id/cancel', { params: intentParams }),
    apiTarget('POST /api/v1/payments/intents/:id/simulate', {
      params: intentParams,
      body: () => ({ testPaymentMethod: 'visa' }),
    }),
    apiTarget('POST /api/v1/payments/refunds', {
      body: (w) => ({
        refundId: reversalsOf(w).refund.id,
        saleId: w.sale.id,
        paymentIntentId: w.intentId,
        amount: 500,
      }),
    }),
    apiTarget(
      'POST /api/v1/print/escpos',
      {
        body: (w) => ({
          host: '127.0.0.1',
          port: w.printerPort,
          bytes: Buffer.from('Hello').toString('base64'),
        }),
        tame: tamePrint,
      },
      // The printer did not answer: a gateway error by design, with what to check.
      { upstream: ['printer_unreachable'] },
    ),
    apiTarget('GET /api/v1/refunds/flagged', {}),
  ];
}
