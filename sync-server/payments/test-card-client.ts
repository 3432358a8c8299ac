import type { LightMyRequestResponse } from 'fastify';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import type { TestApp } from '../test-support/harness.ts';
import { syncHeaders } from '../test-support/sales.ts';

/** The payments API as a terminal calls it, for tests (other areas' tests may use it too). */
export function cardClient(t: TestApp, token: string) {
  const post = (path: string, payload: unknown = {}, as = token): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/payments${path}`,
      headers: syncHeaders(as),
      payload: payload as Record<string, unknown>,
    });
  return {
    status: (as = token) =>
      t.app.inject({
        method: 'GET',
        url: `${API_PREFIX}/payments/status`,
        headers: syncHeaders(as),
      }),
    connectionToken: (as = token) => post('/connection-token', {}, as),
    createIntent: (body: unknown, as = token) => post('/intents', body, as),
    simulate: (id: string, testPaymentMethod = 'visa', as = token) =>
      post(`/intents/${id}/simulate`, { testPaymentMethod }, as),
    capture: (id: string, as = token) => post(`/intents/${id}/capture`, {}, as),
    cancel: (id: string, as = token) => post(`/intents/${id}/cancel`, {}, as),
    /** Creates, presents the card and captures: the id of a captured card payment. */
    async paid(
      saleId: string,
      amount: number,
      attempt = 1,
      testPaymentMethod = 'visa',
    ): Promise<string> {
      const created = await post('/intents', { saleId, amount, attempt });
      const { id } = created.json<{ id: string }>();
      await post(`/intents/${id}/simulate`, { testPaymentMethod });
      const captured = await post(`/intents/${id}/capture`);
      if (captured.statusCode !== 200) throw new Error(`Capture refused: ${captured.body}`);
      return id;
    },
  };
}
