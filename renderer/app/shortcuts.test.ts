import { describe, expect, it } from 'vitest';
import { hintOf, matchShortcut, SHORTCUTS, type KeyPress } from './shortcuts.ts';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  typing: false,
  ...extra,
});

describe('matchShortcut refuses', () => {
  it('a typing key while the cashier is in a field', () => {
    expect(matchShortcut(press('/', { typing: true }))).toBeNull();
    expect(matchShortcut(press('?', { typing: true }))).toBeNull();
    expect(matchShortcut(press('Escape', { typing: true }))).toBeNull();
  });

  it('keys with Ctrl, Alt or Meta (the browser owns them), and keys that are no shortcut', () => {
    expect(matchShortcut(press('F4', { ctrlKey: true }))).toBeNull();
    expect(matchShortcut(press('/', { metaKey: true }))).toBeNull();
    expect(matchShortcut(press('F2', { altKey: true }))).toBeNull();
    expect(matchShortcut(press('a'))).toBeNull();
    expect(matchShortcut(press('Enter'))).toBeNull();
    expect(matchShortcut(press('7'))).toBeNull();
  });
});

describe('matchShortcut', () => {
  it('maps each key of the map to its action', () => {
    expect(matchShortcut(press('F2'))).toBe('search');
    expect(matchShortcut(press('/'))).toBe('search');
    expect(matchShortcut(press('F4'))).toBe('pay');
    expect(matchShortcut(press('F8'))).toBe('sales');
    expect(matchShortcut(press('Escape'))).toBe('back');
    expect(matchShortcut(press('?'))).toBe('help');
  });

  it('lets function keys work from inside a field: they type nothing', () => {
    expect(matchShortcut(press('F4', { typing: true }))).toBe('pay');
    expect(matchShortcut(press('F8', { typing: true }))).toBe('sales');
  });

  it('has no key bound twice, and never binds a key a barcode could contain', () => {
    const keys: string[] = SHORTCUTS.flatMap((shortcut) => [...shortcut.keys]);
    expect(new Set(keys).size).toBe(keys.length);
    // Scanners type letters and digits; a scan's Enter or Tab is swallowed before shortcuts.
    expect(
      keys.filter((key) => /^[A-Za-z0-9]$/.test(key) || key === 'Enter' || key === 'Tab'),
    ).toEqual([]);
  });

  it('writes hints the way the keyboard labels them', () => {
    expect(hintOf('search')).toBe('F2 or /');
    expect(hintOf('back')).toBe('Esc');
  });
});
