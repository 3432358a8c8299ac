import { useMemo, useState } from 'react';
import type { AppInfo, EntitleBridge } from '../../electron/bridge-contract.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { ApprovalProvider } from '../approval/ApprovalProvider.tsx';
import { EnrolScreen } from '../enrol/EnrolScreen.tsx';
import { createCartCommands } from '../sell/cart.ts';
import { StaffProvider } from '../staff/StaffProvider.tsx';
import type { SyncController } from '../sync/replication.ts';
import { startSync } from '../sync/replication.ts';
import type { BootResult } from './boot.ts';
import { PosContext } from './pos-context.ts';
import { PosShell } from './PosShell.tsx';

type Session = { readonly credentials: TerminalCredentials; readonly sync: SyncController };

/**
 * Sync starts once per enrolment, outside React's render cycle: at boot for an enrolled
 * terminal, or when enrolment succeeds. It runs for the life of the page.
 */
export function App(props: {
  db: EntitleDatabase;
  bridge: EntitleBridge;
  appInfo: AppInfo;
  boot: BootResult;
  initialSync: SyncController | null;
}) {
  const { db, bridge, appInfo, boot } = props;
  const [session, setSession] = useState<Session | null>(
    boot.kind === 'enrolled' && props.initialSync
      ? { credentials: boot.credentials, sync: props.initialSync }
      : null,
  );
  const cart = useMemo(() => createCartCommands(db), [db]);

  if (!session) {
    return (
      <EnrolScreen
        appInfo={appInfo}
        bridge={bridge}
        initialProblem={boot.kind === 'needs-enrolment' ? boot.problem : null}
        onEnrolled={(credentials) => setSession({ credentials, sync: startSync(db, credentials) })}
      />
    );
  }
  return (
    <PosContext.Provider
      value={{ db, credentials: session.credentials, sync: session.sync, bridge, appInfo, cart }}
    >
      <StaffProvider>
        <ApprovalProvider>
          <PosShell />
        </ApprovalProvider>
      </StaffProvider>
    </PosContext.Provider>
  );
}
