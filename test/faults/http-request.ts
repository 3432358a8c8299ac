import http from 'node:http';
import { API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/schemas/protocol.ts';

/**
 * The simulated terminal's HTTP: node:http on a fresh connection per request (no keep-alive),
 * so each proxy fault strikes exactly one request, with the protocol header the POS sends.
 */

export type Answer = { readonly status: number; readonly body: unknown };

export class RequestFailed extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'RequestFailed';
  }
}

/** One HTTP request on a fresh connection; rejects on a network error or after `timeoutMs`. */
export function httpRequest(
  baseUrl: string,
  options: {
    readonly method: 'GET' | 'POST';
    readonly path: string;
    readonly headers?: Record<string, string>;
    readonly body?: unknown;
    readonly timeoutMs: number;
  },
): Promise<Answer> {
  const url = new URL(API_PREFIX + options.path, baseUrl);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method,
        agent: false,
        headers: {
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
          ...(payload === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': String(Buffer.byteLength(payload)),
              }),
          ...options.headers,
        },
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON: a cut answer or a proxy's; kept as text for the message.
          }
          if (!response.complete) reject(new RequestFailed('The answer was cut short.', null));
          else resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
