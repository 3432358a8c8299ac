import { createRoot } from 'react-dom/client';
import { findOrCreateEnrolment } from './app/boot.ts';
import { App } from './app/App.tsx';
import { hashAfterInterruptedCheckout, parseRoute } from './app/route.ts';
import { recoverInterruptedCheckout } from './checkout/complete-sale.ts';
import { CustomerDisplay } from './customer-display/CustomerDisplay.tsx';
import { openEntitleDatabase } from './data/database.ts';
import { posStorage } from './data/pos-storage.ts';
import { getBridge } from './platform/bridge.ts';
import { startSync } from './sync/replication.ts';
import './app/styles.css';

async function start(root: HTMLElement) {
  const bridge = getBridge();
  const appInfo = await bridge.appInfo();
  // IndexedDB via Dexie: the sales and the open cart survive a reload or a crash.
  const db = await openEntitleDatabase({
    name: 'entitle-pos',
    storage: posStorage(),
    multiInstance: true,
  });
  const finished = await recoverInterruptedCheckout(db);
  const receipt = hashAfterInterruptedCheckout(window.location.hash, finished);
  if (receipt !== null) history.replaceState(history.state, '', receipt);
  // Ask the browser not to evict the sales under storage pressure; harmless if refused.
  void navigator.storage.persist().catch(() => false);
  const boot = await findOrCreateEnrolment(bridge, appInfo);
  const initialSync = boot.kind === 'enrolled' ? startSync(db, boot.credentials) : null;
  createRoot(root).render(
    <App db={db} bridge={bridge} appInfo={appInfo} boot={boot} initialSync={initialSync} />,
  );
}

const root = document.getElementById('root');
// The customer display opens no database, no sync and no bridge: it only renders what the POS
// window broadcasts (a second tab running the POS would be a second replicating counter).
if (root && parseRoute(window.location.hash).screen === 'customer-display') {
  createRoot(root).render(<CustomerDisplay />);
} else if (root) {
  start(root).catch((error: unknown) => {
    root.textContent = `Entitle could not start: ${error instanceof Error ? error.message : String(error)}. Reload the page; if it persists, call support.`;
  });
}
