import { randomUUID } from 'node:crypto';
import { appendAuditEvent } from '../../shared/audit/audit-chain.ts';
import type { AuditEvent } from '../../shared/audit/audit-event.ts';
import { issueCode } from '../../shared/code/entitlement-code.ts';
import { assembleSale, formatReceiptNumber, priceCart } from '../../shared/sale/build-sale.ts';
import type { EntitlementStatus } from '../../shared/schemas/entitlement.ts';
import type { Product } from '../../shared/schemas/product.ts';
import { EnrolResponse, PushResponse, type PullResponse } from '../../shared/schemas/protocol.ts';
import type { Sale } from '../../shared/schemas/sale.ts';
import type { TerminalView } from './convergence.ts';
import { httpRequest, RequestFailed } from './http-request.ts';

/**
 * A terminal that speaks the sync protocol exactly as the POS does (renderer/sync/replication.ts
 * and api-client.ts), without RxDB so that many fit in one process: enrol with a pairing code,
 * sell with codes from the shared issuing (prefix, serial, the terminal's key), record a hash
 * chained `sale` audit event per sale, push in batches (RxDB's row shape), keep every document
 * until the server acknowledged it, retry after errors and timeouts, and pull entitlement
 * statuses with the server's sequence as checkpoint.
 *
 * Each request opens its own TCP connection, so a proxy fault strikes exactly one request.
 */

export type PushedCollection = 'sales' | 'audit';

export type SimTerminalOptions = {
  /** Where requests go: the proxy in front of the server. */
  readonly url: string;
  readonly pairingCode: string;
  readonly name: string;
  /** Added to the real time for the device clock (sales' and audit events' createdAt). */
  readonly clockOffsetMs?: number;
  /** The client gives up on a request after this long (the POS: 15 s). */
  readonly timeoutMs?: number;
  /** Documents per push (the POS: 50). */
  readonly batchSize?: number;
};

export type SyncReport = { readonly attempts: number; readonly failures: number };

export class SimTerminal {
  readonly name: string;
  url: string;
  readonly clockOffsetMs: number;
  timeoutMs: number;
  batchSize: number;
  credentials!: EnrolResponse;
  /** Everything this terminal sold and recorded, in order. */
  readonly sales: Sale[] = [];
  readonly audit: AuditEvent[] = [];
  /** Not yet acknowledged by the server, in the order written: kept until then. */
  readonly backlog: Record<PushedCollection, Map<string, object>> = {
    sales: new Map(),
    audit: new Map(),
  };
  /** Rows the server refused: none is expected in these tests. */
  readonly rejected: { id: string; reason: string }[] = [];
  /** Entitlement statuses pulled, by code, and the checkpoint reached. */
  readonly pulled = new Map<string, EntitlementStatus>();
  checkpoint = 0;
  /** Requests this terminal gave up on after timeoutMs. */
  timeouts = 0;
  /** Answers 503: the server could not save (its database refused writes). */
  unavailable = 0;
  /** Any other 5xx answer: a fault the server did not handle (none is expected). */
  serverErrors = 0;
  /** The first few of those answers, for the failure message. */
  readonly serverErrorSamples: string[] = [];
  private products: Product[] = [];
  private serial = 0;
  private receipt = 0;

  constructor(private readonly options: SimTerminalOptions) {
    this.name = options.name;
    this.url = options.url;
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.batchSize = options.batchSize ?? 50;
  }

  get terminalId(): string {
    return this.credentials.terminalId;
  }

  get storeId(): string {
    return this.credentials.storeId;
  }

  deviceNow(): string {
    return new Date(Date.now() + this.clockOffsetMs).toISOString();
  }

  /** Enrols with the pairing code and pulls the catalogue (retrying until both succeed). */
  async enrol(): Promise<void> {
    const answer = await httpRequest(this.url, {
      method: 'POST',
      path: '/enrol',
      body: { pairingCode: this.options.pairingCode, terminalName: this.name },
      timeoutMs: this.timeoutMs,
    });
    if (answer.status !== 200) {
      throw new RequestFailed(`Enrolment refused: ${JSON.stringify(answer.body)}`, answer.status);
    }
    this.credentials = EnrolResponse.parse(answer.body);
    const page = await this.call<PullResponse<Product>>('GET', '/sync/products/pull?limit=500');
    this.products = page.documents.filter((product) => product.active);
    if (this.products.length === 0) throw new Error('The store sells nothing.');
  }

  /**
   * One sale of 1–`maxLines` random products (quantity 1–3 each), with its codes and its audit
   * event, written to the backlog in one step as the POS writes them. `random` drives the choice.
   */
  async sell(random: () => number = Math.random, maxLines = 3): Promise<Sale> {
    const lineCount = 1 + Math.floor(random() * maxLines);
    const cart = Array.from({ length: lineCount }, () => ({
      productId: this.products[Math.floor(random() * this.products.length)]?.id ?? '',
      quantity: 1 + Math.floor(random() * 3),
    }));
    const catalogue = new Map(this.products.map((product) => [product.id, product]));
    const lines = priceCart(cart, catalogue);
    const units = lines.reduce((sum, line) => sum + line.quantity, 0);
    const key = new Uint8Array(Buffer.from(this.credentials.codeKey, 'base64url'));
    const codes: string[] = [];
    for (let i = 0; i < units; i++) {
      codes.push(
        await issueCode({ prefix: this.credentials.terminalPrefix, serial: this.serial++, key }),
      );
    }
    this.receipt += 1;
    const total = lines.reduce((sum, line) => sum + line.total, 0);
    const createdAt = this.deviceNow();
    const sale = assembleSale({
      id: randomUUID(),
      storeId: this.storeId,
      terminalId: this.terminalId,
      terminalPrefix: this.credentials.terminalPrefix,
      receiptNumber: formatReceiptNumber(this.credentials.terminalPrefix, this.receipt),
      createdAt,
      currency: this.credentials.currency,
      lines,
      codes,
      payments: [{ method: 'cash', amount: total, rounding: 0, tendered: total, change: 0 }],
      staffId: null,
      shiftId: null,
    });
    const event = await appendAuditEvent(this.audit.at(-1) ?? null, {
      id: randomUUID(),
      storeId: this.storeId,
      terminalId: this.terminalId,
      kind: 'sale',
      staffId: null,
      subjectId: sale.id,
      detail: { receiptNumber: sale.receiptNumber, total: sale.total },
      createdAt,
    });
    this.sales.push(sale);
    this.audit.push(event);
    this.backlog.sales.set(sale.id, sale);
    this.backlog.audit.set(event.id, event);
    return sale;
  }

  /** The next batch waiting in `collection`, oldest first (what RxDB's push hands the handler). */
  nextBatch(collection: PushedCollection, skip = 0): object[] {
    return [...this.backlog[collection].values()].slice(
      skip * this.batchSize,
      (skip + 1) * this.batchSize,
    );
  }

  /**
   * Pushes `documents` once, in RxDB's row shape; on an answer, acknowledged ids leave the
   * backlog (refused ones are kept aside, as the POS keeps them with their reason). Throws on any
   * failure: the documents stay in the backlog.
   */
  async push(collection: PushedCollection, documents: readonly object[]): Promise<PushResponse> {
    const answer = await this.call<unknown>('POST', `/sync/${collection}/push`, {
      rows: documents.map((document) => ({
        newDocumentState: { _deleted: false, ...document },
        assumedMasterState: null,
      })),
    });
    const response = PushResponse.parse(answer);
    for (const id of response.accepted) this.backlog[collection].delete(id);
    for (const refusal of response.rejected) {
      this.backlog[collection].delete(refusal.id);
      this.rejected.push(refusal);
    }
    return response;
  }

  /** One pull page of entitlement statuses after the checkpoint; false when there was nothing. */
  async pullOnce(): Promise<boolean> {
    const page = await this.call<PullResponse<EntitlementStatus>>(
      'GET',
      `/sync/entitlements/pull?seq=${String(this.checkpoint)}&limit=500`,
    );
    for (const status of page.documents) this.pulled.set(status.code, status);
    this.checkpoint = page.checkpoint.seq;
    return page.documents.length > 0;
  }

  /**
   * Pushes the whole backlog and pulls until caught up, retrying every failure after `retryMs`
   * (the POS's RxDB retryTime), as the till does on its own. Gives up after `maxFailures`.
   */
  async syncUntilDone(
    options: { retryMs?: number; maxFailures?: number } = {},
  ): Promise<SyncReport> {
    const retryMs = options.retryMs ?? 50;
    const maxFailures = options.maxFailures ?? 200;
    let attempts = 0;
    let failures = 0;
    const attempt = async <T>(work: () => Promise<T>): Promise<T> => {
      for (;;) {
        attempts += 1;
        try {
          return await work();
        } catch (error) {
          failures += 1;
          if (failures > maxFailures) {
            throw new Error(`${this.name} gave up after ${String(failures)} failures`, {
              cause: error,
            });
          }
          await new Promise((resolve) => setTimeout(resolve, retryMs));
        }
      }
    };
    for (const collection of ['sales', 'audit'] as const) {
      while (this.backlog[collection].size > 0) {
        await attempt(() => this.push(collection, this.nextBatch(collection)));
      }
    }
    while (await attempt(() => this.pullOnce())) {
      // Pull pages until one comes back empty: caught up with the checkpoint.
    }
    return { attempts, failures };
  }

  /** What the convergence check compares with the server. */
  view(): TerminalView {
    return {
      name: this.name,
      terminalId: this.terminalId,
      storeId: this.storeId,
      sales: this.sales,
      audit: this.audit,
      unsent: this.backlog.sales.size + this.backlog.audit.size,
      rejected: this.rejected.length,
      serverErrors: this.serverErrors,
      pulled: this.pulled,
    };
  }

  /** A request with the terminal's token; a non-200 answer is thrown as RequestFailed. */
  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const answer = await httpRequest(this.url, {
      method,
      path,
      headers: { authorization: `Bearer ${this.credentials.token}` },
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.timeoutMs,
    }).catch((error: unknown) => {
      // The request's AbortSignal.timeout fired: an AbortError caused by a TimeoutError.
      if (error instanceof Error && error.name === 'AbortError') this.timeouts += 1;
      throw error;
    });
    if (answer.status === 503) this.unavailable += 1;
    else if (answer.status >= 500) {
      this.serverErrors += 1;
      if (this.serverErrorSamples.length < 5) {
        this.serverErrorSamples.push(`${String(answer.status)} ${JSON.stringify(answer.body)}`);
      }
    }
    if (answer.status !== 200) {
      throw new RequestFailed(
        `${method} ${path} answered ${String(answer.status)}: ${JSON.stringify(answer.body)}`,
        answer.status,
        answer.body,
      );
    }
    return answer.body as T;
  }
}
