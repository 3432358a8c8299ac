import { useEffect, useMemo, useState } from 'react';
import type { AppInfo, EntitleBridge } from '../../electron/bridge-contract.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { EnrolScreen } from '../enrol/EnrolScreen.tsx';
import { createCartCommands } from '../sell/cart.ts';
import type { SyncController } from '../sync/replication.ts';
import { startSync } from '../sync/replication.ts';
import type { BootResult } from './boot.ts';
import { PosContext } from './pos-context.ts';
import { PosShell } from './PosShell.tsx';

export function App(props: {
  db: EntitleDatabase;
  bridge: EntitleBridge;
  appInfo: AppInfo;
  boot: BootResult;
}) {
  const { db, bridge, appInfo, boot } = props;
  const [credentials, setCredentials] = useState<TerminalCredentials | null>(
    boot.kind === 'enrolled' ? boot.credentials : null,
  );
  const [sync, setSync] = useState<SyncController | null>(null);
  const cart = useMemo(() => createCartCommands(db), [db]);

  useEffect(() => {
    if (!credentials) return;
    const controller = startSync(db, credentials);
    setSync(controller);
    return () => {
      void controller.stop();
    };
  }, [db, credentials]);

  if (!credentials) {
    return (
      <EnrolScreen
        appInfo={appInfo}
        bridge={bridge}
        initialProblem={boot.kind === 'needs-enrolment' ? boot.problem : null}
        onEnrolled={setCredentials}
      />
    );
  }
  if (!sync) return null;
  return (
    <PosContext.Provider value={{ db, credentials, sync, bridge, appInfo, cart }}>
      <PosShell />
    </PosContext.Provider>
  );
}
