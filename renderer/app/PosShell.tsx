import { ReceiptScreen } from '../receipt/ReceiptScreen.tsx';
import { SalesScreen } from '../history/SalesScreen.tsx';
import { SellScreen } from '../sell/SellScreen.tsx';
import { TenderScreen } from '../checkout/TenderScreen.tsx';
import { BlockedBanner, StatusBar } from '../sync/StatusBar.tsx';
import { usePos } from './pos-context.ts';
import { useRoute } from './route.ts';

export function PosShell() {
  const { credentials } = usePos();
  const route = useRoute();
  return (
    <div className="pos">
      <header className="top-bar no-print">
        <div className="brand">
          <strong>Entitle</strong>{' '}
          <span className="muted">
            {credentials.storeName} · {credentials.terminalName}
          </span>
        </div>
        <nav aria-label="Screens">
          <a href="#/sell" aria-current={route.screen === 'sell' ? 'page' : undefined}>
            Sell
          </a>
          <a href="#/sales" aria-current={route.screen === 'sales' ? 'page' : undefined}>
            Sales
          </a>
        </nav>
        <StatusBar />
      </header>
      <BlockedBanner />
      <main className="screen">
        {route.screen === 'sell' && <SellScreen />}
        {route.screen === 'tender' && <TenderScreen />}
        {route.screen === 'receipt' && (
          <ReceiptScreen key={route.saleId} saleId={route.saleId} fresh={route.fresh} />
        )}
        {route.screen === 'sales' && <SalesScreen />}
      </main>
    </div>
  );
}
