import { useCallback, useMemo, useRef, useState } from 'react';
import { navigate } from '../app/route.ts';
import { usePos } from '../app/pos-context.ts';
import { hintOf } from '../app/shortcuts.ts';
import { useObservable } from '../app/use-observable.ts';
import { useShortcuts } from '../app/use-shortcut.ts';
import { INITIAL_SYNC_STATUS } from '../sync/sync-status.ts';
import { useBarcodeScanner } from './barcode-listener.ts';
import { lookUpBarcode } from './barcode-lookup.ts';
import { CartPanel } from './CartPanel.tsx';
import { Catalogue } from './Catalogue.tsx';
import { activeProducts$ } from './queries.ts';

type ScanNotice = { readonly ok: boolean; readonly text: string };

export function SellScreen() {
  const { db, cart, sync } = usePos();
  const syncedOnce = useObservable(sync.status.status$, INITIAL_SYNC_STATUS).lastSuccessAt !== null;
  const products = useObservable(
    useMemo(() => activeProducts$(db), [db]),
    [],
  );
  const [notice, setNotice] = useState<ScanNotice | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const add = useCallback(
    (id: string) => {
      void cart.add(id);
    },
    [cart],
  );

  useBarcodeScanner((code) => {
    const found = lookUpBarcode(products, code);
    if (found.kind === 'unknown') {
      setNotice({ ok: false, text: found.message });
      return;
    }
    setNotice({ ok: true, text: `Added ${found.product.name}.` });
    cart.add(found.product.id).catch((error: unknown) => {
      setNotice({ ok: false, text: error instanceof Error ? error.message : String(error) });
    });
  });
  useShortcuts({
    search: () => {
      searchBox.current?.focus();
      searchBox.current?.select();
    },
    // The tender screen explains an empty cart, so F4 needs no guard of its own.
    pay: () => navigate({ screen: 'tender' }),
  });

  return (
    <div className="sell-screen">
      <section className="catalogue" aria-label="Products">
        <Catalogue
          products={products}
          searchBox={searchBox}
          emptyText={
            products.length > 0
              ? 'No product matches that search.'
              : syncedOnce
                ? 'This store has no products yet. A manager adds them on the server.'
                : 'The catalogue has not synced yet. Connect to the server once to load it.'
          }
          onAdd={add}
        >
          {notice && (
            <p
              className={notice.ok ? 'scan-notice' : 'scan-notice error'}
              role={notice.ok ? 'status' : 'alert'}
              data-testid="scan-notice"
            >
              {notice.text}
            </p>
          )}
        </Catalogue>
        <p className="shortcut-bar muted" aria-hidden="true">
          <kbd>{hintOf('pay')}</kbd> Pay · <kbd>{hintOf('sales')}</kbd> Sales ·{' '}
          <kbd>{hintOf('customerDisplay')}</kbd> Customer display · <kbd>?</kbd> All shortcuts
        </p>
      </section>
      <CartPanel />
    </div>
  );
}
