import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { issueCode } from '../../shared/code/entitlement-code.ts';
import type { ProductKind } from '../../shared/schemas/product.ts';
import {
  API_PREFIX,
  ApiError,
  EnrolResponse,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PullResponse,
} from '../../shared/schemas/protocol.ts';
import type { Gift, Sale } from '../../shared/schemas/sale.ts';
import { TEST_START } from './harness.ts';

/** The headers every sync request carries. */
export function syncHeaders(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
}

/** Enrols through the real API, as a terminal does; fails the test if the server refuses. */
export async function enrolTerminal(
  app: FastifyInstance,
  pairingCode: string,
  terminalName = 'Till 1',
): Promise<EnrolResponse> {
  const response = await app.inject({
    method: 'POST',
    url: `${API_PREFIX}/enrol`,
    payload: { pairingCode, terminalName },
  });
  if (response.statusCode !== 200) {
    throw new Error(`Enrolment refused: ${response.statusCode} ${response.body}`);
  }
  return EnrolResponse.parse(response.json());
}

export type LineInput = {
  productId: string;
  name: string;
  kind: ProductKind;
  unitPrice: number;
  quantity: number;
  /** A gift line: the recipient is e-mailed the codes (protocol v2). */
  gift?: Gift;
};

export const GIFT_25: LineInput = {
  productId: 'prod-gift-25',
  name: 'Gift card €25',
  kind: 'gift_card',
  unitPrice: 2500,
  quantity: 1,
};

export function codeKeyOf(credentials: EnrolResponse): Uint8Array {
  return new Uint8Array(Buffer.from(credentials.codeKey, 'base64url'));
}

/**
 * Makes valid sales for an enrolled terminal, the way the counter does: codes issued from the
 * terminal's prefix and key, serials and receipt numbers counting up, arithmetic right.
 */
export function saleMaker(credentials: EnrolResponse, now: () => string = () => TEST_START) {
  const key = codeKeyOf(credentials);
  let serial = 0;
  let receipt = 0;
  return async function makeSale(
    lines: readonly LineInput[] = [GIFT_25],
    extra: { buyerEmail?: string; staffId?: string | null; shiftId?: string | null } = {},
  ): Promise<Sale> {
    receipt += 1;
    const saleLines = [];
    for (const line of lines) {
      const codes = [];
      for (let i = 0; i < line.quantity; i++) {
        codes.push(await issueCode({ prefix: credentials.terminalPrefix, serial: serial++, key }));
      }
      const lineTotal = line.unitPrice * line.quantity;
      saleLines.push({
        lineId: randomUUID(),
        ...line,
        lineTotal,
        discountAmount: 0,
        tax: null,
        total: lineTotal,
        codes,
      });
    }
    const total = saleLines.reduce((sum, line) => sum + line.lineTotal, 0);
    return {
      id: randomUUID(),
      storeId: credentials.storeId,
      terminalId: credentials.terminalId,
      terminalPrefix: credentials.terminalPrefix,
      receiptNumber: `${credentials.terminalPrefix}-${String(receipt).padStart(6, '0')}`,
      createdAt: now(),
      currency: credentials.currency,
      lines: saleLines,
      subtotal: total,
      discountTotal: 0,
      taxTotal: 0,
      total,
      payments: [{ method: 'cash', amount: total, rounding: 0, tendered: total, change: 0 }],
      ...(extra.buyerEmail === undefined ? {} : { buyerEmail: extra.buyerEmail }),
      staffId: extra.staffId ?? null,
      shiftId: extra.shiftId ?? null,
      discountApprovedBy: null,
    };
  };
}

/** RxDB's push shape: every document with `_deleted`, no assumed master for new documents. */
export function pushSales(
  app: FastifyInstance,
  token: string,
  documents: readonly unknown[],
): Promise<LightMyRequestResponse> {
  return pushFacts(app, token, 'sales', documents);
}

/** RxDB's push shape for any pushed fact: sales, voids, refunds or audit events. */
export function pushFacts(
  app: FastifyInstance,
  token: string,
  collection: 'sales' | 'voids' | 'refunds' | 'audit',
  documents: readonly unknown[],
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `${API_PREFIX}/sync/${collection}/push`,
    headers: syncHeaders(token),
    payload: {
      rows: documents.map((document) => ({
        newDocumentState:
          typeof document === 'object' && document !== null
            ? { _deleted: false, ...document }
            : document,
        assumedMasterState: null,
      })),
    },
  });
}

/** One pull of `collection` as the POS makes it (`query` like "?seq=4&limit=2"); must be a 200. */
export async function pullPage<T>(
  app: FastifyInstance,
  token: string,
  collection: string,
  query = '',
): Promise<PullResponse<T>> {
  const response = await app.inject({
    url: `${API_PREFIX}/sync/${collection}/pull${query}`,
    headers: syncHeaders(token),
  });
  if (response.statusCode !== 200) {
    throw new Error(`The ${collection} pull answered ${response.statusCode}: ${response.body}`);
  }
  return response.json<PullResponse<T>>();
}

/** The `{ error, message }` body of a refusal, checked against the shared schema. */
export function errorOf(response: LightMyRequestResponse): ApiError {
  return ApiError.parse(response.json());
}
