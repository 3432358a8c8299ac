import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { API_PREFIX } from '../../shared/schemas/protocol.ts';
import { authenticateTerminal, requireTerminal } from '../auth/terminal-auth.ts';
import type { AppContext } from '../deps.ts';
import { HttpError, parseOr400 } from '../http/errors.ts';
import { resolvePrinter, type Resolve } from './printer-address.ts';
import { sendToPrinter } from './send-to-printer.ts';

/** Same ceiling as the desktop bridge: a receipt with many QR codes is a few KiB. */
export const RELAY_MAX_BYTES = 256 * 1024;
/** Per terminal per minute: a till prints a receipt per sale, plus a test page and reprints. */
export const PRINT_RATE_LIMIT = 60;

const Base64 = /^[A-Za-z0-9+/]*={0,2}$/;

const PrintBody = z.strictObject({
  host: z.string().trim().min(1).max(253),
  port: z.int('The port is a whole number.').min(1).max(65_535),
  bytes: z
    .string('Send the receipt bytes as base64.')
    .min(1, 'There is nothing to print.')
    .max(
      Math.ceil(RELAY_MAX_BYTES / 3) * 4,
      `A receipt is at most ${String(RELAY_MAX_BYTES / 1024)} KiB.`,
    )
    .regex(Base64, 'The receipt bytes are not base64.'),
});

function where(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${String(port)}`;
}

/**
 * POST /api/v1/print/escpos {host, port, bytes}: the web POS's way to a network thermal printer,
 * since a browser cannot open a TCP socket (the desktop app prints directly). Terminal auth, rate
 * limited, and only to a printer port on loopback, private or link-local addresses.
 */
export async function printingRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  options: { readonly allowedPorts: readonly number[]; readonly resolve?: Resolve },
): Promise<void> {
  const { allowedPorts } = options;
  const rateLimit = {
    max: PRINT_RATE_LIMIT,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => request.terminal?.id ?? request.ip,
  };
  await app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', authenticateTerminal(ctx));
      scope.post('/escpos', { config: { rateLimit } }, async (request) => {
        const terminal = requireTerminal(request);
        const body = parseOr400(PrintBody, request.body, 'print request');
        const bytes = Buffer.from(body.bytes, 'base64');
        if (bytes.byteLength > RELAY_MAX_BYTES) {
          throw new HttpError(
            413,
            'payload_too_large',
            `A receipt is at most ${String(RELAY_MAX_BYTES / 1024)} KiB.`,
          );
        }
        const printer = await resolvePrinter(body.host, body.port, {
          allowedPorts,
          ...(options.resolve ? { resolve: options.resolve } : {}),
        });
        if (!printer.ok) {
          switch (printer.reason) {
            case 'port':
              throw new HttpError(
                403,
                'printer_port_not_allowed',
                `The server prints only to port ${allowedPorts.join(' or ')}. Set the printer's port to ${String(allowedPorts[0])}, or ask the administrator to add ${String(body.port)} to PRINTER_PORTS.`,
              );
            case 'not-found':
              throw new HttpError(
                502,
                'printer_not_found',
                `The printer name ${body.host} is not known on the shop's network. Use the printer's IP address (print its network status page to find it).`,
              );
            case 'not-local':
              throw new HttpError(
                403,
                'printer_not_local',
                `${body.host} is not on the shop's own network. The server prints only to printers on private or link-local addresses, such as 192.168.1.50.`,
              );
          }
        }
        if (!(await sendToPrinter(printer.address, body.port, bytes))) {
          throw new HttpError(
            502,
            'printer_unreachable',
            `The printer at ${where(body.host, body.port)} did not answer. Check it is on and on the network, then press Retry.`,
          );
        }
        request.log.info({ storeId: terminal.storeId, bytes: bytes.byteLength }, 'receipt relayed');
        return { ok: true };
      });
      done();
    },
    { prefix: `${API_PREFIX}/print` },
  );
}
