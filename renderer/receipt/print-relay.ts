import type { EscPosPrintRequest, PrintResult } from '../../electron/bridge-contract.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { createApiClient, ServerRefusal, type FetchLike } from '../sync/api-client.ts';

export const RELAY_OFFLINE_MESSAGE =
  'The receipt printer is reached through the server, which is offline. The codes are on screen; reprint from Sales when back online.';

/** Uint8Array → base64 without a Node Buffer (this runs in the browser). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let at = 0; at < bytes.length; at += chunk) {
    binary += String.fromCharCode(...bytes.subarray(at, at + chunk));
  }
  return btoa(binary);
}

/**
 * The web POS's network printing: a browser cannot open a TCP socket, so the sync server relays
 * the bytes to the printer (POST /api/v1/print/escpos). The desktop app prints directly.
 */
export async function relayEscPos(
  request: EscPosPrintRequest,
  credentials: TerminalCredentials | null,
  fetchImpl?: FetchLike,
): Promise<PrintResult> {
  if (credentials === null) {
    return { ok: false, message: 'Enrol this terminal first: the server relays its printing.' };
  }
  const api = createApiClient({
    serverUrl: credentials.serverUrl,
    token: credentials.token,
    timeoutMs: 20_000,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  try {
    await api.request('/print/escpos', {
      method: 'POST',
      body: { host: request.host, port: request.port, bytes: toBase64(request.bytes) },
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof ServerRefusal) return { ok: false, message: error.message };
    return { ok: false, message: RELAY_OFFLINE_MESSAGE };
  }
}
