import { createContext, useContext } from 'react';
import type { AppInfo, EntitleBridge } from '../../electron/bridge-contract.ts';
import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { EntitleDatabase } from '../data/database.ts';
import type { CartCommands } from '../sell/cart.ts';
import type { SyncController } from '../sync/replication.ts';

export type Pos = {
  readonly db: EntitleDatabase;
  readonly credentials: TerminalCredentials;
  readonly sync: SyncController;
  readonly bridge: EntitleBridge;
  readonly appInfo: AppInfo;
  readonly cart: CartCommands;
};

export const PosContext = createContext<Pos | null>(null);

export function usePos(): Pos {
  const pos = useContext(PosContext);
  if (!pos) throw new Error('usePos() outside <PosContext>.');
  return pos;
}
