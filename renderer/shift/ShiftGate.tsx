import type { ReactNode } from 'react';
import { OpenShiftForm } from './OpenShiftForm.tsx';
import { useOpenShiftState } from './use-open-shift.ts';
import './shift.css';

/**
 * Selling happens in a shift: until one is open on this terminal, the screens it wraps give way
 * to the float form. Rendered inside the signed-in area, so the opener is known.
 */
export function ShiftGate(props: { children: ReactNode }) {
  const state = useOpenShiftState();
  if (state.loading) {
    return (
      <p className="screen-message muted" aria-live="polite">
        Checking the shift…
      </p>
    );
  }
  if (state.shift === null) return <OpenShiftForm />;
  return <>{props.children}</>;
}
