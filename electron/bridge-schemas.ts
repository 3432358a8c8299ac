import { z } from 'zod';
import type { PrintRequest } from './bridge-contract.ts';

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
