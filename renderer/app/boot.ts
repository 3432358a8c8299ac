import type { AppInfo, EntitleBridge } from '../../electron/bridge-contract.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import { enrolTerminal } from '../enrol/enrol.ts';

export type BootResult =
  | { readonly kind: 'enrolled'; readonly credentials: TerminalCredentials }
  | { readonly kind: 'needs-enrolment'; readonly problem: string | null };

/** Finds this terminal's enrolment; a terminal of a demo server enrols itself on first start. */
export async function findOrCreateEnrolment(
  bridge: EntitleBridge,
  appInfo: AppInfo,
): Promise<BootResult> {
  const stored = await bridge.loadCredentials();
  if (stored) return { kind: 'enrolled', credentials: stored };
  if (!appInfo.demo || !appInfo.serverUrl) return { kind: 'needs-enrolment', problem: null };
  try {
    const credentials = await enrolTerminal({
      serverUrl: appInfo.serverUrl,
      terminalName: 'Demo counter',
      pairingCode: null,
    });
    await bridge.saveCredentials(credentials);
    return { kind: 'enrolled', credentials };
  } catch (error) {
    return {
      kind: 'needs-enrolment',
      problem: `The demo server could not enrol this terminal: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
