import type { ApiError } from '../../shared/schemas/protocol.ts';
import {
  API_PREFIX,
  GENERATION_HEADER,
  PENDING_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
} from '../../shared/schemas/protocol.ts';

export type FetchLike = typeof fetch;

/** A refusal from the server, carrying its sentence for the cashier and its machine code. */
export class ServerRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServerRefusal';
  }

  /** Refusals that retrying will not fix: the terminal must be re-enrolled or updated. */
  get isPermanent(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 426;
  }
}

/** The network or the server is unreachable; the POS carries on offline. */
export class ServerUnreachable extends Error {
  constructor(cause: unknown) {
    super('The sync server cannot be reached. Sales are kept on this terminal and sync later.', {
      cause,
    });
    this.name = 'ServerUnreachable';
  }
}

export type ApiClient = {
  readonly serverUrl: string;
  request<T>(
    path: string,
    init?: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal },
  ): Promise<T>;
  open(path: string, signal: AbortSignal): Promise<Response>;
};

async function refusalFrom(response: Response): Promise<ServerRefusal> {
  let body: Partial<ApiError> = {};
  try {
    body = (await response.json()) as Partial<ApiError>;
  } catch {
    // A proxy or crashed server answered with something other than our JSON error.
  }
  return new ServerRefusal(
    response.status,
    body.error ?? `http_${String(response.status)}`,
    body.message ?? `The sync server answered ${String(response.status)} ${response.statusText}.`,
  );
}

/** Talks to the sync server's API with the terminal's token (if any) and the protocol version. */
export function createApiClient(options: {
  readonly serverUrl: string;
  readonly token?: string;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  /** The documents waiting to be pushed, reported to the server with each request. */
  readonly pending?: () => number | null;
  /** Told the server's database generation whenever a response carries one (also refusals). */
  readonly onGeneration?: (generation: number) => void;
}): ApiClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.serverUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  async function send(
    path: string,
    init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> },
  ): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(base + API_PREFIX + path, {
        ...init,
        headers: { ...headers, ...pendingHeader(options.pending?.() ?? null), ...init.headers },
      });
    } catch (error) {
      throw new ServerUnreachable(error);
    }
    const generation = generationOf(response);
    if (generation !== null) options.onGeneration?.(generation);
    if (!response.ok) throw await refusalFrom(response);
    return response;
  }

  return {
    serverUrl: base,
    async request<T>(
      path: string,
      init: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal } = {},
    ) {
      const signal = init.signal ?? AbortSignal.timeout(options.timeoutMs ?? 15_000);
      const response = await send(path, {
        method: init.method ?? 'GET',
        signal,
        ...(init.body === undefined
          ? {}
          : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
      });
      return (await response.json()) as T;
    },
    open(path, signal) {
      return send(path, { method: 'GET', signal, headers: { accept: 'text/event-stream' } });
    },
  };
}

/** The generation a response carries (a positive integer), or null if it carries none. */
function generationOf(response: Response): number | null {
  const value = response.headers.get(GENERATION_HEADER);
  if (value === null || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
  return Number(value);
}

function pendingHeader(pending: number | null): Record<string, string> {
  return pending === null ? {} : { [PENDING_HEADER]: String(pending) };
}
