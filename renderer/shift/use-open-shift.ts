import { useMemo } from 'react';
import { map } from 'rxjs';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import type { OpenShift } from './open-shift.ts';
import { openShift$ } from './open-shift.ts';

/** Not known yet (the first read of the chain has not answered), none open, or the open one. */
export type OpenShiftState =
  { readonly loading: true } | { readonly loading: false; readonly shift: OpenShift | null };

const LOADING: OpenShiftState = { loading: true };

export function useOpenShiftState(): OpenShiftState {
  const { db } = usePos();
  const state$ = useMemo(
    () => openShift$(db).pipe(map((shift): OpenShiftState => ({ loading: false, shift }))),
    [db],
  );
  return useObservable(state$, LOADING);
}

/**
 * The shift open on this terminal, or null (also while it is being read). The tender screen
 * passes its shiftId into completeSale, so each sale names its shift.
 */
export function useOpenShift(): Pick<OpenShift, 'shiftId' | 'openedAt' | 'float'> | null {
  const state = useOpenShiftState();
  return state.loading ? null : state.shift;
}
