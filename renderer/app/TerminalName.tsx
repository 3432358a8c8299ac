import { usePos } from './pos-context.ts';

/** "Store · Terminal": which till this is, on every screen that shows the top bar or a lock. */
export function TerminalName() {
  const { credentials } = usePos();
  return (
    <>
      {credentials.storeName} · {credentials.terminalName}
    </>
  );
}
