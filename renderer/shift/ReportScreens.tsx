import type { ReactNode } from 'react';
import { hrefOf, navigate } from '../app/route.ts';
import { useStaff } from '../staff/staff-context.ts';
import { PrintReportButton, ShiftReportView } from './ShiftReportView.tsx';
import { useOpenShift } from './use-open-shift.ts';
import { useShiftReport, useShiftSheet, type ShiftReportState } from './use-shift-report.ts';
import './shift.css';

function ReportBody({ state, children }: { state: ShiftReportState; children?: ReactNode }) {
  const sheet = useShiftSheet(state.status === 'ready' ? state.report : null);
  if (state.status === 'failed') {
    return (
      <p className="banner error" role="alert">
        {state.message}
      </p>
    );
  }
  if (sheet === null) return <p className="muted">Adding up the shift…</p>;
  return (
    <>
      <ShiftReportView sheet={sheet} />
      <div className="receipt-actions no-print">
        <PrintReportButton sheet={sheet} />
        {children}
      </div>
    </>
  );
}

/** The X-report of the open shift: a reading mid-shift, nothing counted or closed. */
export function XReportScreen() {
  const open = useOpenShift();
  const state = useShiftReport(open?.shiftId ?? null, 'X');
  return (
    <section className="report-screen" aria-labelledby="x-report-title">
      <h1 id="x-report-title" className="no-print">
        Shift
      </h1>
      <ReportBody state={state}>
        <a className="button" href={hrefOf({ screen: 'cash', direction: 'in' })}>
          Cash in…
        </a>
        <a className="button" href={hrefOf({ screen: 'cash', direction: 'out' })}>
          Cash out…
        </a>
        <a className="button" href={hrefOf({ screen: 'close-shift' })}>
          Close shift…
        </a>
      </ReportBody>
    </section>
  );
}

/** The Z-report of a closed shift; Done hands the counter to the next person. */
export function ZReportScreen({ shiftId }: { shiftId: string }) {
  const state = useShiftReport(shiftId, 'Z');
  const { signOut } = useStaff();
  return (
    <section className="report-screen" aria-labelledby="z-report-title">
      <h1 id="z-report-title" className="no-print">
        Shift closed
      </h1>
      <ReportBody state={state}>
        <button
          type="button"
          className="button"
          onClick={() => {
            navigate({ screen: 'sell' });
            signOut('manual');
          }}
        >
          Done
        </button>
      </ReportBody>
    </section>
  );
}
