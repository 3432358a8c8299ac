import { z } from 'zod';

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

export const PrinterPort = z
  .int('The port is a whole number, usually 9100.')
  .min(1, 'The port is 1–65535, usually 9100.')
  .max(65_535, 'The port is 1–65535, usually 9100.');

/** The thermal printers' RAW port. */
export const DEFAULT_PRINTER_PORT = 9100;

/**
 * Where this terminal prints its receipts, chosen in Settings and kept on the terminal:
 * - network: an ESC/POS thermal printer on the shop's network (TCP, port 9100);
 * - installed: a printer the operating system knows (desktop app; silent HTML print);
 * - dialog: the browser's or system's print dialog, every time;
 * - none: nothing chosen yet; "Print receipt" falls back to the dialog and nothing prints by itself.
 */
export const PrinterChoice = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('network'),
    host: PrinterHost,
    port: PrinterPort,
    /** 48 for 80 mm paper, 32 for 58 mm. */
    columns: z.union([z.literal(48), z.literal(32)]),
  }),
  z.strictObject({ kind: z.literal('installed'), printerName: z.string().trim().min(1).max(256) }),
  z.strictObject({ kind: z.literal('dialog') }),
]);
export type PrinterChoice = z.infer<typeof PrinterChoice>;

/** "192.168.1.50:9100", "EPSON TM-T20III", "the print dialog": what the cashier reads. */
export function describePrinterChoice(choice: PrinterChoice): string {
  switch (choice.kind) {
    case 'none':
      return 'no printer chosen';
    case 'network':
      return `${choice.host.includes(':') ? `[${choice.host}]` : choice.host}:${String(choice.port)}`;
    case 'installed':
      return choice.printerName;
    case 'dialog':
      return 'the print dialog';
  }
}
