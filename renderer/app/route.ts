import { useSyncExternalStore } from 'react';

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

export function navigate(route: Route): void {
  const href = hrefOf(route);
  if (window.location.hash === href) return;
  const oldURL = window.location.href;
  // Not `location.hash = href`: that scrolls to the fragment (a forced layout) and announces
  // the change in a task of its own, behind whatever else is queued (after a checkout, the
  // sale's change events), about 20 ms on a busy till. The history entry is the same, and Back
  // still fires hashchange.
  history.pushState(history.state, '', href);
  window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL, newURL: window.location.href }));
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
  };
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
