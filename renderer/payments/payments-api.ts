import { z } from 'zod';
import type { ApiClient } from '../sync/api-client.ts';

/** The server's /api/v1/payments answers (sync-server/payments/routes.ts), checked on arrival. */
export const CardStatus = z.object({
  card: z.enum(['ready', 'not_configured', 'unreachable']),
  reason: z.string(),
  simulated: z.boolean(),
  testMode: z.boolean(),
});
export type CardStatus = z.infer<typeof CardStatus>;

const CreatedIntent = z.object({
  id: z.string(),
  clientSecret: z.string(),
  amount: z.number().int(),
  status: z.string(),
});
export type CreatedIntent = z.infer<typeof CreatedIntent>;

const Captured = z.object({
  id: z.string(),
  status: z.string(),
  amount: z.number().int(),
  amountReceived: z.number().int(),
  card: z.object({ brand: z.string().nullable(), last4: z.string().nullable() }),
  partial: z.boolean(),
});
export type Captured = z.infer<typeof Captured>;

const Cancelled = z.object({ id: z.string(), status: z.enum(['canceled', 'refunded']) });

const Simulated = z.union([
  z.object({ approved: z.literal(true), status: z.string(), amountCapturable: z.number().int() }),
  z.object({
    approved: z.literal(false),
    code: z.string(),
    declineCode: z.string(),
    message: z.string(),
  }),
]);
export type Simulated = z.infer<typeof Simulated>;

export type PaymentsApi = ReturnType<typeof createPaymentsApi>;

export function createPaymentsApi(client: ApiClient) {
  const post = async <T>(schema: z.ZodType<T>, path: string, body: unknown = {}): Promise<T> =>
    schema.parse(await client.request(`/payments${path}`, { method: 'POST', body }));
  return {
    status: async () => CardStatus.parse(await client.request('/payments/status')),
    connectionToken: async () =>
      (await post(z.object({ secret: z.string() }), '/connection-token')).secret,
    createIntent: (body: { saleId: string; amount: number; attempt: number }) =>
      post(CreatedIntent, '/intents', body),
    capture: (id: string) => post(Captured, `/intents/${encodeURIComponent(id)}/capture`),
    cancel: (id: string) => post(Cancelled, `/intents/${encodeURIComponent(id)}/cancel`),
    simulate: (id: string, testPaymentMethod: string) =>
      post(Simulated, `/intents/${encodeURIComponent(id)}/simulate`, { testPaymentMethod }),
  };
}
