import { z } from 'zod';
import { PrinterHost, PrinterPort } from '../shared/receipt/printer-choice.ts';
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

export const EscPosPrintRequestSchema = z.strictObject({
  host: PrinterHost,
  port: PrinterPort,
  bytes: z
    .instanceof(Uint8Array, { error: 'The receipt bytes are a Uint8Array.' })
    .refine((bytes) => bytes.byteLength > 0, 'There is nothing to print.')
    .refine(
      (bytes) => bytes.byteLength <= ESC_POS_MAX_BYTES,
      `A receipt is at most ${String(ESC_POS_MAX_BYTES / 1024)} KiB.`,
    ),
}) satisfies z.ZodType<EscPosPrintRequest>;
