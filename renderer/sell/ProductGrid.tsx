import { memo, useState } from 'react';
import { formatMoney } from '../../shared/money.ts';
import type { Product } from '../../shared/schemas/product.ts';
import { PRODUCT_KIND_LABELS } from '../../shared/schemas/product.ts';
import { templateSummary } from '../../shared/templates/summary.ts';
import type { Paging } from './queries.ts';
import { TILES_PER_PAGE, pagesShown, tilesOf } from './queries.ts';

/**
 * One product's button. Memoised: a keystroke that keeps a product in the results keeps its
 * tile as it is (the product object only changes when the catalogue does).
 */
const ProductTile = memo(function ProductTile(props: {
  product: Product;
  onAdd: (id: string) => void;
}) {
  const { product, onAdd } = props;
  const summary = templateSummary(product.kind, product.template);
  const price = formatMoney(product.price, product.currency);
  return (
    <li>
      <button
        type="button"
        className={`product-tile kind-${product.kind}`}
        onClick={() => onAdd(product.id)}
        aria-label={`Add ${product.name}, ${price}${summary ? `, ${summary}` : ''}`}
      >
        <span className="tile-kind" data-testid="tile-summary">
          {summary ?? PRODUCT_KIND_LABELS[product.kind]}
        </span>
        <span className="tile-name">{product.name}</span>
        <span className="tile-price">{price}</span>
      </button>
    </li>
  );
});

/** `onAdd` should keep its identity between renders (useCallback), or every tile redraws. */
export function ProductGrid(props: {
  products: readonly Product[];
  emptyText: string;
  onAdd: (id: string) => void;
}) {
  const [paging, setPaging] = useState<Paging>({ of: null, pages: 1 });
  const pages = pagesShown(paging, props.products);
  if (props.products.length === 0) return <p className="empty">{props.emptyText}</p>;
  const { tiles, hidden } = tilesOf(props.products, pages);
  return (
    <>
      <ul className="product-grid">
        {/* Keyed by place, not by product: a keystroke that changes the results rewrites the
            text of the tiles already drawn instead of removing them and creating new ones (a
            tile holds no state of its own). */}
        {tiles.map((product, place) => (
          <ProductTile key={place} product={product} onAdd={props.onAdd} />
        ))}
      </ul>
      {hidden > 0 && (
        <p className="muted grid-more" data-testid="grid-more">
          {hidden.toLocaleString('en')} more {hidden === 1 ? 'product' : 'products'}: type to narrow
          the search, or{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => setPaging({ of: props.products, pages: pages + 1 })}
          >
            show {Math.min(hidden, TILES_PER_PAGE).toLocaleString('en')} more
          </button>
        </p>
      )}
    </>
  );
}
