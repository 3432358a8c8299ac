import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { testProduct } from '../checkout/test-fixtures.ts';
import { ProductGrid } from './ProductGrid.tsx';
import { TILES_PER_PAGE } from './queries.ts';

const catalogue = Array.from({ length: TILES_PER_PAGE + 6 }, (_, i) =>
  testProduct(`p${String(i)}`, 1000 + i, { name: `Product ${String(i)}` }),
);

function draw(count: number): string {
  return renderToStaticMarkup(
    <ProductGrid
      products={catalogue.slice(0, count)}
      emptyText="Nothing."
      onAdd={() => undefined}
    />,
  );
}

describe('ProductGrid', () => {
  it('draws the first page of tiles and offers the rest', () => {
    const html = draw(catalogue.length);
    expect(html.match(/<li>/g)).toHaveLength(TILES_PER_PAGE);
    expect(html).toContain(`Add Product ${String(TILES_PER_PAGE - 1)},`);
    expect(html).not.toContain(`Add Product ${String(TILES_PER_PAGE)},`);
    expect(html).toContain('6 more products: type to narrow the search, or');
    expect(html).toMatch(/<button type="button" class="link-button">show 6 more<\/button>/);
  });

  it('offers nothing more when every match is drawn', () => {
    const html = draw(TILES_PER_PAGE);
    expect(html.match(/<li>/g)).toHaveLength(TILES_PER_PAGE);
    expect(html).not.toContain('more product');
  });

  it('says so when nothing matches', () => {
    expect(draw(0)).toBe('<p class="empty">Nothing.</p>');
  });
});
