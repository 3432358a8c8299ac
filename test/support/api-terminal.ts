import type { Sale } from '../../shared/schemas/sale.ts';
import type { SaleVoid } from '../../shared/schemas/sale-void.ts';
import {
  API_PREFIX,
  EnrolResponse,
  PushResponse,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
} from '../../shared/schemas/protocol.ts';
import { saleMaker, type LineInput } from '../../sync-server/test-support/sales.ts';

/**
 * A terminal driven from the test over real HTTP, for end-to-end tests whose subject is the
 * customer's side (the portal): it enrols in the demo store and pushes sales and voids exactly
 * as the POS does, without a browser at the counter.
 */
export type ApiTerminal = {
  readonly credentials: EnrolResponse;
  /** A valid sale with codes issued under this terminal's key; not pushed yet. */
  makeSale(lines: readonly LineInput[], extra?: { buyerEmail?: string }): Promise<Sale>;
  /** Pushes documents to `/sync/sales/push` or `/sync/voids/push`; throws unless all accepted. */
  push(collection: 'sales' | 'voids', documents: readonly (Sale | SaleVoid)[]): Promise<void>;
};

export async function enrolApiTerminal(serverUrl: string, name = 'API till'): Promise<ApiTerminal> {
  const response = await fetch(`${serverUrl}${API_PREFIX}/enrol/demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ terminalName: name }),
  });
  if (!response.ok) throw new Error(`Demo enrolment refused: ${String(response.status)}`);
  const credentials = EnrolResponse.parse(await response.json());
  // The real time: the server's clock is real too, and validity counts from the sale.
  const makeSale = saleMaker(credentials, () => new Date().toISOString());
  return {
    credentials,
    makeSale: (lines, extra) => makeSale(lines, extra),
    async push(collection, documents) {
      const pushed = await fetch(`${serverUrl}${API_PREFIX}/sync/${collection}/push`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${credentials.token}`,
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        },
        body: JSON.stringify({
          rows: documents.map((document) => ({
            newDocumentState: { _deleted: false, ...document },
            assumedMasterState: null,
          })),
        }),
      });
      if (!pushed.ok)
        throw new Error(`Push refused: ${String(pushed.status)} ${await pushed.text()}`);
      const result = PushResponse.parse(await pushed.json());
      if (result.rejected.length > 0) {
        throw new Error(`Push rejected: ${JSON.stringify(result.rejected)}`);
      }
    },
  };
}
