import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StaffMember } from '../../shared/staff/staff-member.ts';
import { usePos } from '../app/pos-context.ts';
import { useRequestApproval } from '../approval/approval-context.ts';
import { StatusBar } from '../sync/StatusBar.tsx';
import { clearLockout, lockedUntilFor } from './pin-check.ts';
import { idleLockNotice, lockedMessage, wrongPinMessage } from './pin-messages.ts';
import { PinPad } from './PinPad.tsx';
import { signInWithPin } from './sign-in.ts';
import { useStaff } from './staff-context.ts';
import { canSignIn } from './staff-queries.ts';
import './staff.css';
import { Brand } from '../app/TerminalName.tsx';

/**
 * Shown instead of everything else while nobody is signed in: the sell screen is not rendered,
 * so nothing can be sold or approved without a PIN. The cart stays (it is in RxDB).
 */
export function SignInScreen() {
  const { session, staff, rules } = useStaff();
  const previousStaffId = useStore(session, (state) => state.previousStaffId);
  const lockedBy = useStore(session, (state) => state.lockedBy);
  const members = (staff ?? []).filter(canSignIn);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const chosen =
    members.find((member) => member.id === chosenId) ??
    members.find((member) => member.id === previousStaffId) ??
    (members.length === 1 ? members[0] : undefined) ??
    null;

  return (
    <div className="pos sign-in-page">
      <header className="top-bar no-print">
        <Brand />
        <StatusBar />
      </header>
      <main className="screen sign-in">
        <h1>Sign in</h1>
        {lockedBy === 'idle' && (
          <p className="banner" data-testid="idle-lock-notice">
            {idleLockNotice(rules.idleLockSeconds)}
          </p>
        )}
        {staff !== null && members.length === 0 && (
          <p className="screen-message" role="status">
            No staff on this terminal yet. Add staff on the dashboard (Staff → Add); they appear
            here once the terminal is online.
          </p>
        )}
        {members.length > 0 && (
          <div className="staff-tiles" role="group" aria-label="Who is signing in">
            {members.map((member) => (
              <button
                key={member.id}
                type="button"
                className="button button-big staff-tile"
                aria-pressed={chosen?.id === member.id}
                onClick={() => setChosenId(member.id)}
              >
                {member.name}
              </button>
            ))}
          </div>
        )}
        {chosen && <PinForm key={chosen.id} member={chosen} />}
      </main>
    </div>
  );
}

function PinForm({ member }: { member: StaffMember }) {
  const { db, credentials } = usePos();
  const { session } = useStaff();
  const requestApproval = useRequestApproval();
  const [pin, setPin] = useState('');
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  // A lock survives a reload: ask for it as soon as the member is chosen.
  useEffect(() => {
    let live = true;
    void lockedUntilFor(db, member.id, Date.now()).then((until) => {
      if (live) setLockedUntil(until);
    });
    return () => {
      live = false;
    };
  }, [db, member.id]);

  // The countdown ticks once a second while locked, and stops itself when the lock ends.
  useEffect(() => {
    if (lockedUntil === null) return undefined;
    const timer = setInterval(() => {
      const at = Date.now();
      setNow(at);
      if (at >= lockedUntil) {
        setLockedUntil(null);
        setProblem(null);
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [lockedUntil]);

  async function submit() {
    if (checking || pin === '') return;
    setChecking(true);
    setProblem(null);
    try {
      const result = await signInWithPin(db, credentials, member, pin);
      setPin('');
      if (result.outcome === 'success') {
        session.signIn(member.id);
        return;
      }
      if (result.outcome === 'locked') {
        setNow(Date.now());
        setLockedUntil(result.until);
      } else {
        setProblem(wrongPinMessage(result.triesLeft, result.nextLockMs));
      }
    } catch (error) {
      setProblem(`The PIN was not checked: ${String(error)}. Try again.`);
    } finally {
      setChecking(false);
    }
  }

  async function askToUnlock() {
    const managerId = await requestApproval({
      action: 'unlock',
      subjectId: member.id,
      summary: `Unlock the sign-in of ${member.name}`,
      requestedBy: member.id,
    });
    if (managerId === null) return;
    await clearLockout(db, member.id);
    setLockedUntil(null);
    setProblem(null);
  }

  const locked = lockedUntil !== null && now < lockedUntil;
  return (
    <form
      className="pin-form"
      aria-label={`PIN of ${member.name}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor="staff-pin">PIN</label>
      <input
        id="staff-pin"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        autoFocus
        maxLength={8}
        disabled={locked}
        value={pin}
        onChange={(event) => setPin(event.target.value.replace(/\D/g, ''))}
      />
      {/* Right under the PIN, where the eyes are: a message below the pad goes unseen. */}
      {locked && (
        <>
          <p role="alert" className="error" data-testid="pin-locked">
            {lockedMessage(lockedUntil - now)}
          </p>
          <button type="button" className="button" onClick={() => void askToUnlock()}>
            Manager unlock
          </button>
        </>
      )}
      {!locked && problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <PinPad
        disabled={checking || locked}
        onDigit={(digit) => setPin((typed) => (typed.length < 8 ? typed + digit : typed))}
        onBackspace={() => setPin((typed) => typed.slice(0, -1))}
      />
      <button
        type="submit"
        className="button button-primary button-big"
        disabled={checking || locked || pin === ''}
      >
        Sign in
      </button>
      <p className="hint" aria-live="polite">
        {checking ? 'Checking…' : ''}
      </p>
    </form>
  );
}
