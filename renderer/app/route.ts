import { useSyncExternalStore } from 'react';
import { runAfterNextPaint } from './after-paint.ts';

/**
 * Screens are addressed by the URL hash, so a reload (or a crash and restart) comes back to
 * the same screen: the receipt of the sale just made stays on the receipt.
 */
export type Route =
  | { readonly screen: 'sell' }
  | { readonly screen: 'tender' }
  | { readonly screen: 'receipt'; readonly saleId: string; readonly fresh: boolean }
  | { readonly screen: 'sales' }
  /** This terminal's settings: the receipt printer. */
  | { readonly screen: 'settings' }
  /** Refund lines of a closed sale (renderer/history/RefundScreen.tsx). */
  | { readonly screen: 'refund'; readonly saleId: string }
  /** The customer-facing display: a second window or tab, without the POS around it. */
  | { readonly screen: 'customer-display' }
  /** Shifts (renderer/shift/): cash in or out, the close count, the X- and Z-reports. */
  | { readonly screen: 'cash'; readonly direction: 'in' | 'out' }
  | { readonly screen: 'close-shift' }
  | { readonly screen: 'x-report' }
  | { readonly screen: 'z-report'; readonly shiftId: string }
  /** Sync health, today's X-report and the audit trail (renderer/manager/). */
  | { readonly screen: 'manager' };

export function parseRoute(hash: string): Route {
  const [screen, id, flag] = hash.replace(/^#\/?/, '').split('/');
  if (screen === 'tender') return { screen: 'tender' };
  if (screen === 'sales') return { screen: 'sales' };
  if (screen === 'settings') return { screen: 'settings' };
  if (screen === 'customer-display') return { screen: 'customer-display' };
  if (screen === 'cash') return { screen: 'cash', direction: id === 'out' ? 'out' : 'in' };
  if (screen === 'close-shift') return { screen: 'close-shift' };
  if (screen === 'x-report') return { screen: 'x-report' };
  if (screen === 'z-report' && id) return { screen: 'z-report', shiftId: decodeURIComponent(id) };
  if (screen === 'manager') return { screen: 'manager' };
  if (screen === 'refund' && id) return { screen: 'refund', saleId: decodeURIComponent(id) };
  if (screen === 'receipt' && id)
    return { screen: 'receipt', saleId: decodeURIComponent(id), fresh: flag === 'new' };
  return { screen: 'sell' };
}

export function hrefOf(route: Route): string {
  switch (route.screen) {
    case 'sell':
      return '#/sell';
    case 'tender':
      return '#/tender';
    case 'sales':
      return '#/sales';
    case 'settings':
      return '#/settings';
    case 'customer-display':
      return '#/customer-display';
    case 'cash':
      return `#/cash/${route.direction}`;
    case 'close-shift':
      return '#/close-shift';
    case 'x-report':
      return '#/x-report';
    case 'z-report':
      return `#/z-report/${encodeURIComponent(route.shiftId)}`;
    case 'manager':
      return '#/manager';
    case 'refund':
      return `#/refund/${encodeURIComponent(route.saleId)}`;
    case 'receipt':
      return `#/receipt/${encodeURIComponent(route.saleId)}${route.fresh ? '/new' : ''}`;
  }
}

/**
 * A route shown before its URL is written (navigate's `urlAfterPaint`); null once it is, or when
 * the browser itself moved (Back, Forward, a typed URL).
 */
let shownHash: string | null = null;

/** The screen's hash: the one shown, even if the URL has not caught up yet. */
const currentHash = (): string => shownHash ?? window.location.hash;

export type NavigateOptions = {
  /**
   * Show the screen now and write its URL once it has painted. `history.pushState` was native
   * work of 4 ms on average, up to 43 ms, in profiles of checkouts on a till with 100,000 sales
   * (bench/till/phases-checkout.ts --profile); after a checkout it held up the receipt. A reload
   * in between comes back to the previous URL: the caller must make that safe. After a checkout
   * that is the payment screen, and on start main.tsx opens the receipt of the sale whose cart
   * was not emptied yet (recoverInterruptedCheckout), or the payment screen names the last sale
   * when it was (EmptyCartNote).
   */
  readonly urlAfterPaint?: boolean;
};

export function navigate(route: Route, options: NavigateOptions = {}): void {
  const href = hrefOf(route);
  if (currentHash() === href) return;
  const oldURL = new URL(currentHash(), window.location.href).href;
  if (options.urlAfterPaint) {
    shownHash = href;
    runAfterNextPaint(() => {
      if (shownHash !== href) return;
      writeUrl(href);
      // Held until the URL says the same: Chromium ignores a pushState past its rate limit.
      if (window.location.hash === href) shownHash = null;
    });
  } else {
    shownHash = null;
    writeUrl(href);
  }
  window.dispatchEvent(
    new HashChangeEvent('hashchange', {
      oldURL,
      newURL: new URL(href, window.location.href).href,
    }),
  );
}

/**
 * Not `location.hash = href`: that scrolls to the fragment (a forced layout) and announces the
 * change in a task of its own, behind whatever else is queued (after a checkout, the sale's
 * change events), about 20 ms on a busy till. The history entry is the same, and Back still
 * fires hashchange.
 */
function writeUrl(href: string): void {
  history.pushState(history.state, '', href);
}

function subscribe(onChange: () => void) {
  const listener = (event: HashChangeEvent) => {
    // The browser's own (Back, Forward, a typed URL) replaces a screen shown ahead of its URL.
    if (event.isTrusted) shownHash = null;
    onChange();
  };
  window.addEventListener('hashchange', listener);
  return () => {
    window.removeEventListener('hashchange', listener);
  };
}

/**
 * On start, after recoverInterruptedCheckout finished the sale `saleId` (null: none): the URL to
 * open instead of the current one, or null to stay. A crash after a sale was stored but before
 * the receipt's URL was written (navigate's `urlAfterPaint`) left the till on the payment
 * screen; its receipt is what the cashier was about to see.
 */
export function hashAfterInterruptedCheckout(hash: string, saleId: string | null): string | null {
  if (saleId === null || parseRoute(hash).screen !== 'tender') return null;
  return hrefOf({ screen: 'receipt', saleId, fresh: true });
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return parseRoute(hash);
}
