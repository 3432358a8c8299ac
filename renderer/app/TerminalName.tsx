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

/** The left of the top bar, the same on the sign-in screen and in the shell. */
export function Brand() {
  return (
    <div className="brand">
      <strong>Entitle</strong>{' '}
      <span className="muted">
        <TerminalName />
      </span>
    </div>
  );
}
