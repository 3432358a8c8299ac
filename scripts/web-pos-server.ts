import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAppProtocolHandler } from '../electron/app-protocol.ts';
import { APP_ORIGIN, buildContentSecurityPolicy } from '../electron/security.ts';

export type WebPosServer = { readonly url: string; close(): Promise<void> };

/**
 * Serves the built POS (dist/renderer) to a browser, with the same file resolution and
 * Content-Security-Policy as the desktop app's app:// protocol, plus `config.json` telling the
 * POS where its sync server is. It is separate from the sync server on purpose: the POS page
 * must still load when the sync server is down.
 */
export async function startWebPosServer(options: {
  readonly rendererDir: string;
  readonly serverUrl: string;
  readonly demo: boolean;
  readonly port?: number;
  readonly host?: string;
}): Promise<WebPosServer> {
  const handle = createAppProtocolHandler({
    rendererDir: path.resolve(options.rendererDir),
    readFile: (file) => readFile(file),
    contentSecurityPolicy: buildContentSecurityPolicy(options.serverUrl),
  });
  const config = JSON.stringify({ serverUrl: options.serverUrl, demo: options.demo });

  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/config.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(config);
      return;
    }
    handle({ url: APP_ORIGIN + pathname, method: request.method ?? 'GET' })
      .then(async (reply) => {
        response.writeHead(reply.status, Object.fromEntries(reply.headers));
        response.end(Buffer.from(await reply.arrayBuffer()));
      })
      .catch(() => {
        response.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host === '0.0.0.0' ? 'localhost' : (options.host ?? '127.0.0.1')}:${String(port)}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
