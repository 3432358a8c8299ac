/**
 * The POS keyboard shortcuts, in one map: the handlers, the help overlay and the hints on buttons
 * all read it, so what the help says is what the keys do.
 */
export const SHORTCUTS = [
  { id: 'search', keys: ['F2', '/'], label: 'Search products', where: 'Sell' },
  { id: 'pay', keys: ['F4'], label: 'Pay (go to the tender screen)', where: 'Sell' },
  { id: 'exactCash', keys: ['F5'], label: 'Exact cash', where: 'Pay' },
  { id: 'payByCard', keys: ['F6'], label: 'Pay by card', where: 'Pay' },
  {
    id: 'manager',
    keys: ['F7'],
    label: 'Manager screen: sync, X-report, audit',
    where: 'Anywhere',
  },
  { id: 'sales', keys: ['F8'], label: 'Sales list', where: 'Anywhere' },
  { id: 'customerDisplay', keys: ['F9'], label: 'Open the customer display', where: 'Anywhere' },
  { id: 'lock', keys: ['F12'], label: 'Lock the terminal (sign out)', where: 'Anywhere' },
  {
    id: 'back',
    keys: ['Escape'],
    label: 'Back, cancel, or start the next sale',
    where: 'Anywhere',
  },
  { id: 'help', keys: ['?'], label: 'Show these shortcuts', where: 'Anywhere' },
] as const satisfies readonly {
  readonly id: string;
  readonly keys: readonly string[];
  readonly label: string;
  readonly where: string;
}[];

export type ShortcutId = (typeof SHORTCUTS)[number]['id'];

export type KeyPress = {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  /** The focus is in a text field (or an editable element). */
  readonly typing: boolean;
};

const FUNCTION_KEY = /^F([1-9]|1[0-2])$/;

/**
 * The shortcut a key press means, if any. Keys that type something ("/", "?") and Escape (which
 * a field uses to clear itself) never fire while the cashier is in a field. Function keys type
 * nothing, so they work from a field too: the cashier who just searched presses F4 to pay
 * without leaving the search box first. Ctrl/Alt/Meta combinations belong to the browser.
 */
export function matchShortcut(press: KeyPress): ShortcutId | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.typing && !FUNCTION_KEY.test(press.key)) return null;
  const found = SHORTCUTS.find((shortcut) =>
    (shortcut.keys as readonly string[]).includes(press.key),
  );
  return found?.id ?? null;
}

/** "F2 or /": the hint shown on a button and in the help. */
export function hintOf(id: ShortcutId): string {
  const shortcut = SHORTCUTS.find((candidate) => candidate.id === id);
  return shortcut ? shortcut.keys.map((key) => (key === 'Escape' ? 'Esc' : key)).join(' or ') : '';
}
