/**
 * A local stand-in for the few Stripe API endpoints the counter uses, spoken over HTTP so the
 * real `stripe` library talks to it (`new Stripe(key, { host, port, protocol: 'http' })`):
 *
 *   POST /v1/terminal/connection_tokens
 *   POST /v1/payment_intents · GET /v1/payment_intents/:id
 *   POST /v1/payment_intents/:id/capture · POST /v1/payment_intents/:id/cancel
 *   POST /v1/refunds
 *   POST /v1/terminal/readers/:id/process_payment_intent        (server-driven, as Stripe's)
 *   POST /v1/test_helpers/terminal/readers/:id/present_payment_method
 *
 * POSTs honour `Idempotency-Key` like Stripe: the same key and parameters replay the first
 * response; the same key with other parameters is a 400 idempotency_error. Errors have Stripe's
 * shape and status. It is not Stripe: nothing here was checked against Stripe's servers.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseStripeForm, stringParam, type FormValue } from './form-body.ts';
import { outcomeOf } from './simulated-outcomes.ts';

type Charge = {
  id: string;
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  brand: string;
  last4: string;
};

export type FakeIntent = {
  id: string;
  amount: number;
  amountCapturable: number;
  amountReceived: number;
  currency: string;
  status: string;
  metadata: Record<string, FormValue>;
  clientSecret: string;
  charge: Charge | null;
  lastPaymentError: StripeErrorBody | null;
  canceledAt: number | null;
};

export type FakeRefund = { id: string; paymentIntent: string; amount: number; status: 'succeeded' };

type StripeErrorBody = {
  type: string;
  code?: string;
  decline_code?: string;
  message: string;
  param?: string;
  payment_intent?: unknown;
};

class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

export type FakeStripe = {
  /** e.g. http://127.0.0.1:43121 — STRIPE_API_BASE for the server. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly intents: ReadonlyMap<string, FakeIntent>;
  readonly refunds: readonly FakeRefund[];
  /** Every request as `METHOD /path`, in order: tests assert what the server asked. */
  readonly requests: readonly string[];
  /** While true, every connection is dropped: the library sees a StripeConnectionError. */
  setUnreachable(down: boolean): void;
  /** The next request answers 429 like Stripe's rate limiter. */
  rateLimitNext(): void;
  close(): Promise<void>;
};

const id = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

const invalid = (message: string, param?: string, status = 400): StripeFailure =>
  new StripeFailure(status, {
    type: 'invalid_request_error',
    message,
    ...(param === undefined ? {} : { param }),
  });

function intentJson(intent: FakeIntent, expand: readonly string[]): Record<string, unknown> {
  const charge = intent.charge;
  return {
    id: intent.id,
    object: 'payment_intent',
    amount: intent.amount,
    amount_capturable: intent.amountCapturable,
    amount_received: intent.amountReceived,
    capture_method: 'manual',
    client_secret: intent.clientSecret,
    currency: intent.currency,
    livemode: false,
    metadata: intent.metadata,
    payment_method_types: ['card_present'],
    status: intent.status,
    canceled_at: intent.canceledAt,
    last_payment_error: intent.lastPaymentError,
    latest_charge:
      charge && expand.includes('latest_charge') ? chargeJson(charge) : (charge?.id ?? null),
  };
}

function chargeJson(charge: Charge): Record<string, unknown> {
  return {
    id: charge.id,
    object: 'charge',
    amount: charge.amount,
    amount_captured: charge.amountCaptured,
    amount_refunded: charge.amountRefunded,
    refunded: charge.amountRefunded >= charge.amountCaptured && charge.amountCaptured > 0,
    payment_method_details: {
      type: 'card_present',
      card_present: { brand: charge.brand, last4: charge.last4 },
    },
  };
}

function expandOf(form: Record<string, FormValue>): string[] {
  const expand = form['expand'];
  return Array.isArray(expand)
    ? expand.filter((item): item is string => typeof item === 'string')
    : [];
}

function amountParam(form: Record<string, FormValue>, name: string): number | undefined {
  const text = stringParam(form, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw invalid(`Invalid integer: ${text}`, name);
  return Number(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeStripe(options: { port?: number } = {}): Promise<FakeStripe> {
  const intents = new Map<string, FakeIntent>();
  const refunds: FakeRefund[] = [];
  const requests: string[] = [];
  const replies = new Map<string, { fingerprint: string; status: number; body: string }>();
  /** What each reader was asked to process (Stripe's reader `action`). */
  const readerActions = new Map<string, string>();
  let unreachable = false;
  let rateLimited = false;

  function intentOf(intentId: string): FakeIntent {
    const intent = intents.get(intentId);
    if (!intent) throw invalid(`No such payment_intent: '${intentId}'`, 'intent', 404);
    return intent;
  }

  function unexpectedState(intent: FakeIntent, action: string): StripeFailure {
    return new StripeFailure(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: `This PaymentIntent could not be ${action} because it has a status of ${intent.status}.`,
      payment_intent: intentJson(intent, []),
    });
  }

  function present(readerId: string, cardNumber: string): Record<string, unknown> {
    const intentId = readerActions.get(readerId);
    if (!intentId) {
      throw invalid(
        'This reader has no payment to present a card to; process a PaymentIntent first.',
      );
    }
    const intent = intentOf(intentId);
    if (intent.status !== 'requires_payment_method') throw unexpectedState(intent, 'confirmed');
    const outcome = outcomeOf(intent.amount, cardNumber);
    let action: Record<string, unknown>;
    if (outcome.kind === 'declined') {
      intent.lastPaymentError = {
        type: 'card_error',
        code: outcome.code,
        decline_code: outcome.declineCode,
        message: outcome.message,
      };
      action = { status: 'failed', failure_code: outcome.code, failure_message: outcome.message };
    } else {
      const approved = outcome.kind === 'partial' ? outcome.approved : intent.amount;
      intent.status = 'requires_capture';
      intent.amountCapturable = approved;
      intent.lastPaymentError = null;
      intent.charge = {
        id: id('ch'),
        amount: approved,
        amountCaptured: 0,
        amountRefunded: 0,
        brand: outcome.brand,
        last4: outcome.last4,
      };
      action = { status: 'succeeded', failure_code: null, failure_message: null };
    }
    readerActions.delete(readerId);
    return {
      id: readerId,
      object: 'terminal.reader',
      device_type: 'simulated_wisepos_e',
      action: {
        type: 'process_payment_intent',
        ...action,
        ...(outcome.kind === 'declined' ? { decline_code: outcome.declineCode } : {}),
        process_payment_intent: { payment_intent: intent.id },
      },
    };
  }

  function handle(method: string, path: string, form: Record<string, FormValue>): unknown {
    const expand = expandOf(form);
    let match: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/terminal/connection_tokens') {
      return { object: 'terminal.connection_token', secret: id('pst_test') };
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = amountParam(form, 'amount');
      if (amount === undefined || amount < 1)
        throw invalid('Missing required param: amount.', 'amount');
      const currency = stringParam(form, 'currency');
      if (!currency) throw invalid('Missing required param: currency.', 'currency');
      const intentId = id('pi');
      const metadata = form['metadata'];
      const intent: FakeIntent = {
        id: intentId,
        amount,
        amountCapturable: 0,
        amountReceived: 0,
        currency: currency.toLowerCase(),
        status: 'requires_payment_method',
        metadata: typeof metadata === 'object' && !Array.isArray(metadata) ? metadata : {},
        clientSecret: `${intentId}_secret_${randomBytes(8).toString('hex')}`,
        charge: null,
        lastPaymentError: null,
        canceledAt: null,
      };
      intents.set(intentId, intent);
      return intentJson(intent, expand);
    }
    if ((match = path.match(/^\/v1\/payment_intents\/([^/]+)$/)) && method === 'GET') {
      return intentJson(intentOf(match[1] ?? ''), expand);
    }
    if ((match = path.match(/^\/v1\/payment_intents\/([^/]+)\/capture$/)) && method === 'POST') {
      const intent = intentOf(match[1] ?? '');
      if (intent.status !== 'requires_capture' || !intent.charge) {
        throw unexpectedState(intent, 'captured');
      }
      const toCapture = amountParam(form, 'amount_to_capture') ?? intent.amountCapturable;
      if (toCapture > intent.amountCapturable) {
        throw invalid('amount_to_capture is more than the amount capturable.', 'amount_to_capture');
      }
      intent.status = 'succeeded';
      intent.amountReceived = toCapture;
      intent.amountCapturable = 0;
      intent.charge.amountCaptured = toCapture;
      return intentJson(intent, expand);
    }
    if ((match = path.match(/^\/v1\/payment_intents\/([^/]+)\/cancel$/)) && method === 'POST') {
      const intent = intentOf(match[1] ?? '');
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        throw unexpectedState(intent, 'canceled');
      }
      intent.status = 'canceled';
      intent.amountCapturable = 0;
      intent.canceledAt = 1;
      return intentJson(intent, expand);
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intentId = stringParam(form, 'payment_intent');
      if (!intentId) throw invalid('Missing required param: payment_intent.', 'payment_intent');
      const intent = intentOf(intentId);
      const charge = intent.charge;
      if (intent.status !== 'succeeded' || !charge) {
        throw invalid(
          `This PaymentIntent (${intentId}) does not have a successful charge to refund.`,
        );
      }
      const left = charge.amountCaptured - charge.amountRefunded;
      if (left <= 0) {
        throw new StripeFailure(400, {
          type: 'invalid_request_error',
          code: 'charge_already_refunded',
          message: `Charge ${charge.id} has already been refunded.`,
        });
      }
      const amount = amountParam(form, 'amount') ?? left;
      if (amount < 1 || amount > left) {
        throw new StripeFailure(400, {
          type: 'invalid_request_error',
          code: 'amount_too_large',
          param: 'amount',
          message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${left}).`,
        });
      }
      charge.amountRefunded += amount;
      const refund: FakeRefund = {
        id: id('re'),
        paymentIntent: intent.id,
        amount,
        status: 'succeeded',
      };
      refunds.push(refund);
      return {
        id: refund.id,
        object: 'refund',
        amount,
        charge: charge.id,
        payment_intent: intent.id,
        status: refund.status,
        currency: intent.currency,
      };
    }
    if (
      (match = path.match(/^\/v1\/terminal\/readers\/([^/]+)\/process_payment_intent$/)) &&
      method === 'POST'
    ) {
      const readerId = match[1] ?? '';
      const intentId = stringParam(form, 'payment_intent');
      if (!intentId) throw invalid('Missing required param: payment_intent.', 'payment_intent');
      const intent = intentOf(intentId);
      if (intent.status !== 'requires_payment_method') throw unexpectedState(intent, 'processed');
      readerActions.set(readerId, intentId);
      return {
        id: readerId,
        object: 'terminal.reader',
        device_type: 'simulated_wisepos_e',
        action: {
          type: 'process_payment_intent',
          status: 'in_progress',
          process_payment_intent: { payment_intent: intentId },
        },
      };
    }
    if (
      (match = path.match(
        /^\/v1\/test_helpers\/terminal\/readers\/([^/]+)\/present_payment_method$/,
      )) &&
      method === 'POST'
    ) {
      const cardPresent = form['card_present'];
      const number =
        typeof cardPresent === 'object' &&
        !Array.isArray(cardPresent) &&
        typeof cardPresent['number'] === 'string'
          ? cardPresent['number']
          : '4242424242424242';
      return present(match[1] ?? '', number);
    }
    throw invalid(`Unrecognized request URL (${method}: ${path}).`, undefined, 404);
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://fake-stripe');
    requests.push(`${method} ${url.pathname}`);
    if (unreachable) {
      request.socket.destroy();
      return;
    }
    const text = method === 'GET' ? url.search.slice(1) : await readBody(request);
    const send = (status: number, body: string, replayed = false) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        'request-id': id('req'),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
      response.end(body);
    };
    if (!/^Bearer sk_test_\w+$/.test(request.headers.authorization ?? '')) {
      send(
        401,
        JSON.stringify({
          error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' },
        }),
      );
      return;
    }
    if (rateLimited) {
      rateLimited = false;
      send(
        429,
        JSON.stringify({
          error: {
            type: 'invalid_request_error',
            code: 'rate_limit',
            message: 'Too many requests hit the API too quickly.',
          },
        }),
      );
      return;
    }
    const key = method === 'POST' ? request.headers['idempotency-key'] : undefined;
    const fingerprint = `${method} ${url.pathname} ${text}`;
    if (typeof key === 'string') {
      const earlier = replies.get(key);
      if (earlier && earlier.fingerprint !== fingerprint) {
        send(
          400,
          JSON.stringify({
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          }),
        );
        return;
      }
      if (earlier) {
        send(earlier.status, earlier.body, true);
        return;
      }
    }
    let status = 200;
    let body: string;
    try {
      body = JSON.stringify(handle(method, url.pathname, parseStripeForm(text)));
    } catch (error) {
      if (!(error instanceof StripeFailure)) throw error;
      status = error.status;
      body = JSON.stringify({ error: error.body });
    }
    if (typeof key === 'string') replies.set(key, { fingerprint, status, body });
    send(status, body);
  }

  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    intents,
    refunds,
    requests,
    setUnreachable: (down) => {
      unreachable = down;
    },
    rateLimitNext: () => {
      rateLimited = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
