import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { Email } from '../../shared/schemas/common.ts';
import { createApiClient, ServerRefusal, type FetchLike } from '../sync/api-client.ts';

export type ResendOutcome = { readonly ok: boolean; readonly message: string };

/**
 * Sales → Resend e-mail: asks the server to e-mail the receipt again (it goes through the
 * outbox like the first one). The sale must have synced; the server says so if it has not.
 */
export async function resendReceipt(
  credentials: TerminalCredentials,
  input: { readonly saleId: string; readonly email: string },
  fetchImpl?: FetchLike,
): Promise<ResendOutcome> {
  const email = Email.safeParse(input.email.trim());
  if (!email.success) {
    return { ok: false, message: 'Type the customer’s e-mail address, like ana@example.com.' };
  }
  const api = createApiClient({
    serverUrl: credentials.serverUrl,
    token: credentials.token,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  try {
    await api.request(`/sales/${encodeURIComponent(input.saleId)}/resend-receipt`, {
      method: 'POST',
      body: { email: email.data },
    });
    return { ok: true, message: `The receipt is on its way to ${email.data}.` };
  } catch (error) {
    if (error instanceof ServerRefusal) return { ok: false, message: error.message };
    return {
      ok: false,
      message:
        'The server is offline, so nothing was sent. Try again when the terminal is back online.',
    };
  }
}
