import { useState } from 'react';
import { CustomerDisplay } from '../customer-display/CustomerDisplay.tsx';
import { useCustomerDisplayPublisher } from '../customer-display/use-display-publisher.ts';
import { ReceiptScreen } from '../receipt/ReceiptScreen.tsx';
import { RefundScreen } from '../history/RefundScreen.tsx';
import { SalesScreen } from '../history/SalesScreen.tsx';
import { useScanGuard } from '../sell/barcode-listener.ts';
import { SellScreen } from '../sell/SellScreen.tsx';
import { SettingsScreen } from '../settings/SettingsScreen.tsx';
import { TenderScreen } from '../checkout/TenderScreen.tsx';
import { OpenDrawerButton } from '../approval/OpenDrawerButton.tsx';
import { ManagerScreen } from '../manager/ManagerScreen.tsx';
import { CashMoveScreen } from '../shift/CashMoveScreen.tsx';
import { CloseShiftScreen } from '../shift/CloseShiftScreen.tsx';
import { XReportScreen, ZReportScreen } from '../shift/ReportScreens.tsx';
import { ShiftGate } from '../shift/ShiftGate.tsx';
import { ShiftNav } from '../shift/ShiftNav.tsx';
import { useOpenShift } from '../shift/use-open-shift.ts';
import { useSignedInStaff, useStaff } from '../staff/staff-context.ts';
import { SignInScreen } from '../staff/SignInScreen.tsx';
import { RevokedLock, useTerminalRevoked } from '../sync/RevokedLock.tsx';
import { BlockedBanner, StatusBar } from '../sync/StatusBar.tsx';
import { usePos } from './pos-context.ts';
import { useRoute } from './route.ts';
import { hintOf } from './shortcuts.ts';
import { ShortcutsHelp } from './shortcuts-help.tsx';
import { useShellShortcuts } from './shortcuts-shell.ts';
import { useShortcuts } from './use-shortcut.ts';
import { Brand } from './TerminalName.tsx';

export function PosShell() {
  const { bridge } = usePos();
  const route = useRoute();
  const [displayProblem, setDisplayProblem] = useState<string | null>(null);
  const openCustomerDisplay = () => {
    void bridge.openCustomerDisplay().then((result) => {
      setDisplayProblem(result.ok ? null : result.message);
    });
  };
  const help = useShellShortcuts(route, openCustomerDisplay);
  useCustomerDisplayPublisher(route);
  // The Sell screen handles scans itself; everywhere else a scan is caught and explained.
  const scanNotice = useScanGuard(
    route.screen,
    route.screen !== 'sell' && route.screen !== 'customer-display',
  );
  const revoked = useTerminalRevoked();
  const signedIn = useSignedInStaff();
  const { signOut } = useStaff();
  const openShift = useOpenShift();
  useShortcuts({ lock: () => signOut('manual') });
  // Opened in this tab by hand: the display alone, never the cashier's screens around it.
  if (route.screen === 'customer-display') return <CustomerDisplay />;
  // Nothing else is rendered for a revoked terminal, nor before someone signs in.
  if (revoked) return <RevokedLock />;
  if (!signedIn) return <SignInScreen />;
  return (
    <div className="pos">
      <header className="top-bar no-print">
        <Brand />
        <nav aria-label="Screens">
          <a href="#/sell" aria-current={route.screen === 'sell' ? 'page' : undefined}>
            Sell
          </a>
          <a
            href="#/sales"
            aria-current={route.screen === 'sales' ? 'page' : undefined}
            aria-keyshortcuts={hintOf('sales')}
          >
            Sales{' '}
            <kbd className="key-hint" aria-hidden="true">
              {hintOf('sales')}
            </kbd>
          </a>
          <a href="#/settings" aria-current={route.screen === 'settings' ? 'page' : undefined}>
            Settings
          </a>
          <ShiftNav current={route.screen} />
        </nav>
        <div className="top-actions">
          <button
            type="button"
            className="button"
            onClick={openCustomerDisplay}
            aria-keyshortcuts={hintOf('customerDisplay')}
          >
            Customer display{' '}
            <kbd className="key-hint" aria-hidden="true">
              {hintOf('customerDisplay')}
            </kbd>
          </button>
          <OpenDrawerButton shiftId={openShift?.shiftId ?? null} />
          <button
            type="button"
            className="button"
            onClick={() => signOut('manual')}
            aria-keyshortcuts={hintOf('lock')}
            data-testid="signed-in-staff"
          >
            Lock · {signedIn.name}{' '}
            <kbd className="key-hint" aria-hidden="true">
              {hintOf('lock')}
            </kbd>
          </button>
          <button
            type="button"
            className="button"
            onClick={help.openHelp}
            aria-label="Keyboard shortcuts"
            aria-keyshortcuts="?"
          >
            <kbd className="key-hint">?</kbd>
          </button>
        </div>
        <StatusBar />
      </header>
      <BlockedBanner />
      {displayProblem && (
        <p className="banner error" role="alert">
          {displayProblem}
        </p>
      )}
      {scanNotice && (
        <p className="banner error" role="alert" data-testid="scan-notice">
          {scanNotice}
        </p>
      )}
      {help.helpOpen && <ShortcutsHelp onClose={help.closeHelp} />}
      <main className="screen">
        {route.screen === 'sell' && (
          <ShiftGate>
            <SellScreen />
          </ShiftGate>
        )}
        {route.screen === 'tender' && (
          <ShiftGate>
            <TenderScreen />
          </ShiftGate>
        )}
        {route.screen === 'cash' && (
          <ShiftGate>
            <CashMoveScreen key={route.direction} direction={route.direction} />
          </ShiftGate>
        )}
        {route.screen === 'close-shift' && (
          <ShiftGate>
            <CloseShiftScreen />
          </ShiftGate>
        )}
        {route.screen === 'x-report' && (
          <ShiftGate>
            <XReportScreen />
          </ShiftGate>
        )}
        {route.screen === 'z-report' && (
          <ZReportScreen key={route.shiftId} shiftId={route.shiftId} />
        )}
        {route.screen === 'manager' && <ManagerScreen />}
        {route.screen === 'receipt' && (
          <ReceiptScreen key={route.saleId} saleId={route.saleId} fresh={route.fresh} />
        )}
        {route.screen === 'sales' && <SalesScreen />}
        {route.screen === 'settings' && <SettingsScreen />}
        {route.screen === 'refund' && <RefundScreen key={route.saleId} saleId={route.saleId} />}
      </main>
    </div>
  );
}
