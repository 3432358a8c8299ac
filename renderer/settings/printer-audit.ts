import type { PrinterChoice } from '../../shared/receipt/printer-choice.ts';
import { describePrinterChoice } from '../../shared/receipt/printer-choice.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { EntitleDatabase } from '../data/database.ts';

/**
 * Where receipts (and the drawer pulse) go is worth a line in the audit trail: a
 * `settings_change` with the printer before and after, in words. Saving the same choice again
 * records nothing. Returns whether an event was written.
 */
export async function recordPrinterChange(
  db: EntitleDatabase,
  credentials: Pick<TerminalCredentials, 'storeId' | 'terminalId'>,
  change: {
    readonly staffId: string | null;
    readonly from: PrinterChoice;
    readonly to: PrinterChoice;
  },
): Promise<boolean> {
  const from = describePrinterChoice(change.from).slice(0, 200);
  const to = describePrinterChoice(change.to).slice(0, 200);
  if (from === to) return false;
  await recordAudit(db, credentials, {
    kind: 'settings_change',
    staffId: change.staffId,
    subjectId: null,
    detail: { setting: 'receipt_printer', from, to },
  });
  return true;
}
