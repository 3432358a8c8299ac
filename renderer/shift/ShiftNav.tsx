import type { Route } from '../app/route.ts';
import { hrefOf } from '../app/route.ts';
import { hintOf } from '../app/shortcuts.ts';

const SHIFT_SCREENS: readonly Route['screen'][] = ['cash', 'close-shift', 'x-report', 'z-report'];

/**
 * The shift and the manager's screen in the shell's navigation. "Shift" opens the X-report,
 * whose actions lead to cash in/out and the close: one link keeps the bar readable on a till.
 */
export function ShiftNav({ current }: { current: Route['screen'] }) {
  return (
    <>
      <a
        href={hrefOf({ screen: 'x-report' })}
        aria-current={SHIFT_SCREENS.includes(current) ? 'page' : undefined}
      >
        Shift
      </a>
      <a
        href={hrefOf({ screen: 'manager' })}
        aria-current={current === 'manager' ? 'page' : undefined}
        aria-keyshortcuts={hintOf('manager')}
      >
        Manager{' '}
        <kbd className="key-hint" aria-hidden="true">
          {hintOf('manager')}
        </kbd>
      </a>
    </>
  );
}
