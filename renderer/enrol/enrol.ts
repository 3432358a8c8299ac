import type { EnrolResponse, TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { EnrolResponse as EnrolResponseSchema } from '../../shared/schemas/protocol.ts';
import type { FetchLike } from '../sync/api-client.ts';
import { createApiClient } from '../sync/api-client.ts';

/** Enrols this terminal once: with a pairing code shown by the server, or by itself on a demo server. */
export async function enrolTerminal(input: {
  readonly serverUrl: string;
  readonly terminalName: string;
  readonly pairingCode: string | null;
  readonly fetch?: FetchLike;
}): Promise<TerminalCredentials> {
  const client = createApiClient({
    serverUrl: input.serverUrl,
    ...(input.fetch ? { fetch: input.fetch } : {}),
  });
  const response =
    input.pairingCode === null
      ? await client.request<EnrolResponse>('/enrol/demo', {
          method: 'POST',
          body: { terminalName: input.terminalName },
        })
      : await client.request<EnrolResponse>('/enrol', {
          method: 'POST',
          body: { pairingCode: input.pairingCode, terminalName: input.terminalName },
        });
  return { ...EnrolResponseSchema.parse(response), serverUrl: client.serverUrl };
}
