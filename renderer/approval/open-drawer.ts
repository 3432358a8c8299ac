import type { EntitleBridge } from '../../electron/bridge-contract.ts';
import type { PrinterChoice } from '../../shared/receipt/printer-choice.ts';
import { encodeDrawerKickEscPos } from '../../shared/receipt/escpos.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { DrawerOpenDetail } from '../../shared/shift/shift-events.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { EntitleDatabase } from '../data/database.ts';

export type DrawerResult = { readonly kicked: boolean; readonly message: string };

/**
 * Opens the drawer without a sale, after a manager approved it: the pulse goes to the drawer
 * wired to the network receipt printer (as a cash sale's receipt does), and the opening is an
 * audit event whether or not a printer is wired — a drawer opened by its key still counts.
 */
export async function openDrawerWithoutSale(
  deps: {
    readonly db: EntitleDatabase;
    readonly credentials: Pick<TerminalCredentials, 'storeId' | 'terminalId'>;
    readonly bridge: Pick<EntitleBridge, 'printEscPos'>;
    readonly printer: PrinterChoice;
  },
  input: {
    readonly staffId: string;
    readonly shiftId: string | null;
    readonly reason: string;
    readonly approvedBy: string;
  },
): Promise<DrawerResult> {
  const detail = DrawerOpenDetail.parse({ reason: input.reason, approvedBy: input.approvedBy });
  let result: DrawerResult = {
    kicked: false,
    message:
      'No drawer is wired to a network receipt printer here: open the drawer with its key. The opening is recorded.',
  };
  if (deps.printer.kind === 'network') {
    const printed = await deps.bridge.printEscPos({
      host: deps.printer.host,
      port: deps.printer.port,
      bytes: encodeDrawerKickEscPos(deps.printer.columns),
    });
    result = printed.ok
      ? { kicked: true, message: 'The drawer is open. The opening is recorded.' }
      : {
          kicked: false,
          message: `The drawer did not open: ${printed.message} Open it with its key; the opening is recorded.`,
        };
  }
  await recordAudit(deps.db, deps.credentials, {
    kind: 'drawer_open',
    staffId: input.staffId,
    subjectId: input.shiftId,
    detail,
  });
  return result;
}
