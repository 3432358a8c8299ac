import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PullProgressNote, progressText } from './PullProgressNote.tsx';
import type { SyncStatus } from './sync-status.ts';

const draw = (pulling: SyncStatus['pulling']) =>
  renderToStaticMarkup(<PullProgressNote pulling={pulling} />);

describe('PullProgressNote', () => {
  it('shows nothing when no long pull is under way', () => {
    expect(draw({ products: null, entitlements: null })).toBe('');
  });

  it('shows the catalogue first, with a bar and grouped counts', () => {
    const html = draw({
      products: { pulled: 8000, remaining: 12000 },
      entitlements: { pulled: 2000, remaining: 48000 },
    });
    expect(html).toContain('data-collection="products"');
    expect(html).toContain(
      '<progress value="8000" max="20000" aria-label="Downloading the catalogue">',
    );
    expect(html).toContain('Downloading the catalogue: 8,000 of 20,000 products');
  });

  it('then the codes’ statuses', () => {
    const html = draw({ products: null, entitlements: { pulled: 12000, remaining: 38000 } });
    expect(html).toContain('data-collection="entitlements"');
    expect(html).toContain('12,000 of 50,000 codes');
  });

  it('counts without a total from a server that sends none, with a bar that only says it is busy', () => {
    const html = draw({ products: { pulled: 4000, remaining: null }, entitlements: null });
    expect(html).toContain('4,000 products so far');
    expect(html).toMatch(/<progress value="4000" aria-label/);
    expect(progressText({ pulled: 4000, remaining: null }, 'products')).toBe(
      '4,000 products so far',
    );
  });
});
