import { memo, useMemo, useState, type ReactNode, type RefObject } from 'react';
import type { Product } from '../../shared/schemas/product.ts';
import { hintOf } from '../app/shortcuts.ts';
import { createCatalogueSearch } from './catalogue-search.ts';
import { ProductGrid } from './ProductGrid.tsx';
import { indexProducts } from './queries.ts';

/**
 * The search box and the products it finds. The search's state lives here, not in the sell
 * screen: a keystroke re-renders the box and the grid, not the cart beside them (issue #7,
 * catalogue search: each key is to show its results within a frame). Memoised, so the sync status
 * re-rendering the sell screen leaves it alone.
 */
export const Catalogue = memo(function Catalogue(props: {
  readonly products: readonly Product[];
  readonly emptyText: string;
  readonly searchBox: RefObject<HTMLInputElement | null>;
  /** Stable between renders (useCallback), or every tile redraws. */
  readonly onAdd: (id: string) => void;
  /** Shown between the box and the grid (the scanner's notice). */
  readonly children?: ReactNode;
}) {
  const { products, onAdd } = props;
  const [search, setSearch] = useState('');
  const searcher = useMemo(() => createCatalogueSearch(indexProducts(products)), [products]);
  const shown = useMemo(() => searcher(search), [searcher, search]);
  return (
    <>
      <input
        ref={props.searchBox}
        className="search"
        type="search"
        placeholder={`Search products or scan (press ${hintOf('search')})`}
        aria-label="Search products"
        aria-keyshortcuts="F2 /"
        // Product names and item numbers, not prose: no spell-check pass after every key.
        spellCheck={false}
        autoComplete="off"
        value={search}
        autoFocus
        onChange={(event) => setSearch(event.target.value)}
        onKeyDown={(event) => {
          // Enter adds the only match, so a typed name sells without a tap.
          const [only] = shown;
          if (event.key === 'Escape') setSearch('');
          if (event.key === 'Enter' && shown.length === 1 && only) {
            onAdd(only.id);
            setSearch('');
          }
        }}
      />
      {props.children}
      <ProductGrid products={shown} emptyText={props.emptyText} onAdd={onAdd} />
    </>
  );
});
