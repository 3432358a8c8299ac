import type { PullProgress } from './pull-loop.ts';
import type { SyncStatus } from './sync-status.ts';

const count = new Intl.NumberFormat('en');

/** What a download is of, in the words the status bar uses. */
const WHAT = {
  products: { title: 'Downloading the catalogue', unit: 'products' },
  entitlements: { title: 'Downloading code statuses', unit: 'codes' },
} as const;

/** "8,000 of 20,000 products", or "8,000 products so far" from a server that sends no total. */
export function progressText(progress: PullProgress, unit: string): string {
  if (progress.remaining === null) return `${count.format(progress.pulled)} ${unit} so far`;
  const total = progress.pulled + progress.remaining;
  return `${count.format(progress.pulled)} of ${count.format(total)} ${unit}`;
}

/**
 * A new till's first sync, as it goes: the catalogue first (the till sells once it has it), then
 * the codes' statuses. Shown only while a pull longer than one page is under way.
 */
export function PullProgressNote({ pulling }: { readonly pulling: SyncStatus['pulling'] }) {
  const name = pulling.products !== null ? 'products' : 'entitlements';
  const progress = pulling[name];
  if (progress === null) return null;
  const { title, unit } = WHAT[name];
  const total = progress.remaining === null ? undefined : progress.pulled + progress.remaining;
  return (
    <span className="pull-progress" data-testid="pull-progress" data-collection={name}>
      <progress value={progress.pulled} max={total} aria-label={title} />
      {`${title}: ${progressText(progress, unit)}`}
    </span>
  );
}
