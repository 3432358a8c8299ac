import { useState } from 'react';
import { navigate, type Route } from './route.ts';
import { useShortcuts } from './use-shortcut.ts';

/**
 * Presses the enabled button of the current screen whose accessible name starts with `name`.
 * The tender screen's buttons are found by the names they show the cashier ("Exact …",
 * "Pay by card"), so the keyboard does exactly what a tap would, through the same code.
 */
function pressButton(name: RegExp): void {
  const buttons = document.querySelectorAll<HTMLButtonElement>('main button:not([disabled])');
  for (const button of buttons) {
    const label = button.getAttribute('aria-label') ?? button.textContent;
    if (name.test(label.trim())) {
      button.click();
      return;
    }
  }
}

/** Where Escape goes from each screen: back one step; from a fresh receipt, the next sale. */
function backFrom(route: Route): Route | null {
  switch (route.screen) {
    case 'tender':
    case 'sales':
    case 'settings':
      return { screen: 'sell' };
    case 'receipt':
      return route.fresh ? { screen: 'sell' } : { screen: 'sales' };
    case 'refund':
      return { screen: 'sales' };
    case 'cash':
    case 'close-shift':
    case 'x-report':
    case 'manager':
      return { screen: 'sell' };
    case 'z-report':
      return null;
    case 'sell':
    case 'customer-display':
      return null;
  }
}

/** The shortcuts that work on every screen, and the help overlay they open. */
export function useShellShortcuts(route: Route, openCustomerDisplay: () => void) {
  const [helpOpen, setHelpOpen] = useState(false);
  useShortcuts({
    help: () => setHelpOpen((open) => !open),
    sales: () => navigate({ screen: 'sales' }),
    manager: () => navigate({ screen: 'manager' }),
    customerDisplay: openCustomerDisplay,
    back: () => {
      if (helpOpen) {
        setHelpOpen(false);
        return;
      }
      const to = backFrom(route);
      if (to) navigate(to);
    },
    exactCash: () => {
      if (route.screen === 'tender') pressButton(/^Exact\b/i);
    },
    payByCard: () => {
      if (route.screen === 'tender') pressButton(/^Pay by card\b/i);
    },
  });
  return { helpOpen, openHelp: () => setHelpOpen(true), closeHelp: () => setHelpOpen(false) };
}
