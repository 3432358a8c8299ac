import { useMemo, useState } from 'react';
import { formatReceiptInstant } from '../../shared/receipt/escpos.ts';
import { canApprove } from '../../shared/staff/staff-member.ts';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { useSignedInStaff, useStaff } from '../staff/staff-context.ts';
import { PrintReportButton, ShiftReportView } from '../shift/ShiftReportView.tsx';
import { useOpenShift } from '../shift/use-open-shift.ts';
import { useShiftReport, useShiftSheet } from '../shift/use-shift-report.ts';
import { AUDIT_PAGE_SIZE, auditPage$, chainCheck$, describeChain } from './audit-trail.ts';
import { backlog$, pendingDocuments$, uploadedPercent } from './sync-health.ts';
import '../shift/shift.css';

/**
 * The manager's screen at the counter: is this terminal's work reaching the server, how is the
 * shift going, and is the audit trail whole. Managers and admins only.
 */
export function ManagerScreen() {
  const staff = useSignedInStaff();
  if (staff && !canApprove(staff.role)) {
    return (
      <section className="manager-screen" aria-labelledby="manager-title">
        <h1 id="manager-title">Manager</h1>
        <p className="banner error" role="alert">
          This screen is for managers. Ask a manager to sign in.
        </p>
      </section>
    );
  }
  return (
    <section className="manager-screen" aria-labelledby="manager-title">
      <h1 id="manager-title">Manager</h1>
      <SyncHealth />
      <TodaysXReport />
      <AuditTrail />
    </section>
  );
}

function SyncHealth() {
  const { db, sync } = usePos();
  const status = useObservable(sync.status.status$, sync.status.current);
  const pending$ = useMemo(() => pendingDocuments$(db), [db]);
  const pending = useObservable(pending$, 0);
  const backlog = useObservable(
    useMemo(() => backlog$(pending$), [pending$]),
    null,
  );
  return (
    <section aria-labelledby="sync-health-title" data-testid="sync-health">
      <h2 id="sync-health-title">Sync health</h2>
      <dl className="count-summary">
        <dt>Waiting to sync</dt>
        <dd data-testid="pending-documents">
          {pending === 0 ? 'Nothing' : `${String(pending)} documents`}
        </dd>
        <dt>Connection</dt>
        <dd>{status.online ? 'Online' : 'Offline'}</dd>
        <dt>Last success</dt>
        <dd data-testid="last-success">
          {status.lastSuccessAt ? formatReceiptInstant(status.lastSuccessAt) : 'Not yet'}
        </dd>
        <dt>Last error</dt>
        <dd data-testid="last-error">{status.lastError ?? 'None'}</dd>
      </dl>
      {backlog && (
        <progress
          className="sync-progress"
          role="progressbar"
          aria-label="Uploading the backlog"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={uploadedPercent(backlog)}
          max={100}
          value={uploadedPercent(backlog)}
        />
      )}
      <button type="button" className="button" onClick={() => sync.syncNow()}>
        Retry now
      </button>
    </section>
  );
}

function TodaysXReport() {
  const open = useOpenShift();
  const state = useShiftReport(open?.shiftId ?? null, 'X');
  const sheet = useShiftSheet(state.status === 'ready' ? state.report : null);
  return (
    <section aria-labelledby="manager-x-title">
      <h2 id="manager-x-title">Today’s X-report</h2>
      {open === null && <p className="muted">No shift is open on this terminal.</p>}
      {state.status === 'failed' && (
        <p className="banner error" role="alert">
          {state.message}
        </p>
      )}
      {open !== null && sheet && (
        <>
          <ShiftReportView sheet={sheet} />
          <div className="receipt-actions no-print">
            <PrintReportButton sheet={sheet} />
          </div>
        </>
      )}
    </section>
  );
}

function AuditTrail() {
  const { db } = usePos();
  const { staff } = useStaff();
  const [page, setPage] = useState(0);
  const trail = useObservable(
    useMemo(() => auditPage$(db, page), [db, page]),
    null,
  );
  const check = useObservable(
    useMemo(() => chainCheck$(db), [db]),
    null,
  );
  const names = new Map((staff ?? []).map((member) => [member.id, member.name]));
  const pages = trail ? Math.max(1, Math.ceil(trail.total / AUDIT_PAGE_SIZE)) : 1;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <p
        data-testid="audit-chain"
        className={check === null ? 'muted' : check.ok ? 'audit-ok' : 'audit-broken'}
      >
        {check === null ? 'Checking the audit chain…' : describeChain(check)}
      </p>
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
            <th scope="col">When</th>
            <th scope="col">Subject</th>
          </tr>
        </thead>
        <tbody>
          {trail?.events.map((event) => (
            <tr key={event.id}>
              <td>{event.seq}</td>
              <td>{event.kind.replace('_', ' ')}</td>
              <td>{event.staffId === null ? '—' : (names.get(event.staffId) ?? event.staffId)}</td>
              <td>{formatReceiptInstant(event.createdAt)}</td>
              <td className="muted">{event.subjectId ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="receipt-actions">
        <button
          type="button"
          className="button"
          disabled={page === 0}
          onClick={() => setPage((current) => current - 1)}
        >
          Newer
        </button>
        <span className="muted">
          Page {page + 1} of {pages}
        </span>
        <button
          type="button"
          className="button"
          disabled={page + 1 >= pages}
          onClick={() => setPage((current) => current + 1)}
        >
          Older
        </button>
      </div>
    </section>
  );
}
