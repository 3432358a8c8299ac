import { formatMoney } from '../../shared/money.ts';
import type { Product } from '../../shared/schemas/product.ts';
import { PRODUCT_KIND_LABELS } from '../../shared/schemas/product.ts';
import { templateSummary } from '../../shared/templates/summary.ts';

export function ProductGrid(props: {
  products: readonly Product[];
  emptyText: string;
  onAdd: (id: string) => void;
}) {
  if (props.products.length === 0) return <p className="empty">{props.emptyText}</p>;
  return (
    <ul className="product-grid">
      {props.products.map((product) => {
        const summary = templateSummary(product.kind, product.template);
        return (
          <li key={product.id}>
            <button
              type="button"
              className={`product-tile kind-${product.kind}`}
              onClick={() => props.onAdd(product.id)}
              aria-label={`Add ${product.name}, ${formatMoney(product.price, product.currency)}${summary ? `, ${summary}` : ''}`}
            >
              <span className="tile-kind" data-testid="tile-summary">
                {summary ?? PRODUCT_KIND_LABELS[product.kind]}
              </span>
              <span className="tile-name">{product.name}</span>
              <span className="tile-price">{formatMoney(product.price, product.currency)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
