import { z } from 'zod';
import {
  ESC_POS_MAX_BYTES,
  type EscPosPrintRequest,
  type PrintRequest,
} from './bridge-contract.ts';

/**
 * Runtime checks for what the renderer sends over the bridge. The contract's types stay the
 * single source; `satisfies` makes the build fail if this schema drifts from them.
 */
export const PrintRequestSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('silent'),
    printerName: z.string().trim().min(1).max(256).exactOptional(),
  }),
  z.strictObject({ mode: z.literal('pdf'), fileName: z.string().min(1).max(256) }),
  z.strictObject({ mode: z.literal('dialog') }),
]) satisfies z.ZodType<PrintRequest>;

/** A printer is named by an IP address or a host name; never a URL, a path or a port suffix. */
export const PrinterHost = z.union(
  [
    z.ipv4(),
    z.ipv6(),
    z
      .hostname()
      .max(253)
      .regex(/^[A-Za-z0-9.-]+$/),
  ],
  'The printer address is an IP address such as 192.168.1.50 or a host name.',
);

export const EscPosPrintRequestSchema = z.strictObject({
  host: PrinterHost,
  port: z.int('The port is a whole number.').min(1).max(65_535, 'The port is 1–65535.'),
  bytes: z
    .instanceof(Uint8Array, { error: 'The receipt bytes are a Uint8Array.' })
    .refine((bytes) => bytes.byteLength > 0, 'There is nothing to print.')
    .refine(
      (bytes) => bytes.byteLength <= ESC_POS_MAX_BYTES,
      `A receipt is at most ${String(ESC_POS_MAX_BYTES / 1024)} KiB.`,
    ),
}) satisfies z.ZodType<EscPosPrintRequest>;
