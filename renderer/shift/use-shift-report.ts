import { useMemo } from 'react';
import type { Observable } from 'rxjs';
import { catchError, from, map, merge, of, startWith, switchMap } from 'rxjs';
import type { ShiftReport, ShiftReportKind } from '../../shared/shift/shift-report.ts';
import type { ShiftReportSheet } from '../../shared/shift/shift-report-sheet.ts';
import { shiftReportSheet } from '../../shared/shift/shift-report-sheet.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import type { EntitleDatabase } from '../data/database.ts';
import { useStaff } from '../staff/staff-context.ts';
import { loadShiftReport } from './shift-commands.ts';

export type ShiftReportState =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'ready'; readonly report: ShiftReport };

/** The report, rebuilt whenever a fact it counts is written on this terminal. */
export function shiftReport$(
  db: EntitleDatabase,
  shiftId: string,
  kind: ShiftReportKind,
  now: () => Date = () => new Date(),
): Observable<ShiftReportState> {
  return merge(
    db.audit_events.insert$,
    db.sales.insert$,
    db.voids.insert$,
    db.refunds.insert$,
  ).pipe(
    startWith(null),
    switchMap(() =>
      from(loadShiftReport(db, shiftId, kind, now())).pipe(
        map((report): ShiftReportState => ({ status: 'ready', report })),
        catchError((error: unknown) =>
          of<ShiftReportState>({
            status: 'failed',
            message: error instanceof Error ? error.message : String(error),
          }),
        ),
      ),
    ),
  );
}

const LOADING: ShiftReportState = { status: 'loading' };

export function useShiftReport(shiftId: string | null, kind: ShiftReportKind): ShiftReportState {
  const { db } = usePos();
  const state$ = useMemo(
    () => (shiftId === null ? of(LOADING) : shiftReport$(db, shiftId, kind)),
    [db, shiftId, kind],
  );
  return useObservable(state$, LOADING);
}

/** The report as the sheet the screen and the printers show, with staff names from this terminal. */
export function useShiftSheet(report: ShiftReport | null): ShiftReportSheet | null {
  const { credentials } = usePos();
  const { staff } = useStaff();
  return useMemo(() => {
    if (report === null) return null;
    const names = new Map((staff ?? []).map((member) => [member.id, member.name]));
    return shiftReportSheet(report, {
      storeName: credentials.storeName,
      terminalName: credentials.terminalName,
      staffName: (id) => (id === null ? 'Not recorded' : (names.get(id) ?? id)),
    });
  }, [report, staff, credentials.storeName, credentials.terminalName]);
}
