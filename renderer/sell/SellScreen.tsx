import { useMemo, useRef, useState } from 'react';
import { usePos } from '../app/pos-context.ts';
import { useObservable } from '../app/use-observable.ts';
import { useShortcut } from '../app/use-shortcut.ts';
import { INITIAL_SYNC_STATUS } from '../sync/sync-status.ts';
import { CartPanel } from './CartPanel.tsx';
import { ProductGrid } from './ProductGrid.tsx';
import { activeProducts$, searchProducts } from './queries.ts';

export function SellScreen() {
  const { db, cart, sync } = usePos();
  const syncedOnce = useObservable(sync.status.status$, INITIAL_SYNC_STATUS).lastSuccessAt !== null;
  const products = useObservable(
    useMemo(() => activeProducts$(db), [db]),
    [],
  );
  const [search, setSearch] = useState('');
  const searchBox = useRef<HTMLInputElement>(null);
  const shown = useMemo(() => searchProducts(products, search), [products, search]);
  useShortcut('/', () => searchBox.current?.focus());

  return (
    <div className="sell-screen">
      <section className="catalogue" aria-label="Products">
        <input
          ref={searchBox}
          className="search"
          type="search"
          placeholder="Search products (press / )"
          aria-label="Search products"
          value={search}
          autoFocus
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            // Enter adds the only match, so a typed or scanned name sells without a tap.
            const [only] = shown;
            if (event.key === 'Escape') setSearch('');
            if (event.key === 'Enter' && shown.length === 1 && only) {
              void cart.add(only.id);
              setSearch('');
            }
          }}
        />
        <ProductGrid
          products={shown}
          emptyText={
            products.length > 0
              ? 'No product matches that search.'
              : syncedOnce
                ? 'This store has no products yet. A manager adds them on the server.'
                : 'The catalogue has not synced yet. Connect to the server once to load it.'
          }
          onAdd={(id) => void cart.add(id)}
        />
      </section>
      <CartPanel />
    </div>
  );
}
