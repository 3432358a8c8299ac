import { describe, expect, it } from 'vitest';
import { giftCartLabel, giftReceiptNote, localDateOf, parseGiftForm } from './gift.ts';

const today = '2026-11-27';
const form = (overrides: Partial<{ recipientEmail: string; sendOn: string; message: string }>) => ({
  recipientEmail: 'ana@example.com',
  sendOn: '',
  message: '',
  ...overrides,
});

describe('the gift form', () => {
  it('refuses a missing or malformed recipient and says what to do', () => {
    expect(parseGiftForm(form({ recipientEmail: '  ' }), today)).toEqual({
      ok: false,
      errors: { recipientEmail: "Type the recipient's e-mail address." },
    });
    const typo = parseGiftForm(form({ recipientEmail: 'ana@example' }), today);
    expect(typo.ok ? undefined : typo.errors.recipientEmail).toMatch(/does not look right/);
  });

  it('refuses a send date in the past', () => {
    const result = parseGiftForm(form({ sendOn: '2026-11-26' }), today);
    expect(result.ok ? undefined : result.errors.sendOn).toMatch(/has passed/);
  });

  it('refuses a message over 300 characters, counting them', () => {
    const result = parseGiftForm(form({ message: 'x'.repeat(301) }), today);
    expect(result.ok ? undefined : result.errors.message).toMatch(/300 characters \(it has 301\)/);
  });

  it('reports every field that needs fixing at once', () => {
    const result = parseGiftForm(
      { recipientEmail: '', sendOn: '2020-01-01', message: 'x'.repeat(400) },
      today,
    );
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual([
      'message',
      'recipientEmail',
      'sendOn',
    ]);
  });

  it('accepts a later date and a trimmed message', () => {
    expect(
      parseGiftForm(
        form({ recipientEmail: ' ana@example.com ', sendOn: '2026-12-03', message: ' Hi ' }),
        today,
      ),
    ).toEqual({
      ok: true,
      gift: { recipientEmail: 'ana@example.com', sendOn: '2026-12-03', message: 'Hi' },
    });
  });

  it('leaves out today and empty fields: the gift goes as soon as the sale syncs', () => {
    expect(parseGiftForm(form({ sendOn: today }), today)).toEqual({
      ok: true,
      gift: { recipientEmail: 'ana@example.com' },
    });
  });
});

describe('gift wording', () => {
  it('says when it sends on the cart line and the receipt', () => {
    const later = { recipientEmail: 'ana@example.com', sendOn: '2026-12-03' };
    expect(giftCartLabel(later)).toBe('Gift for ana@example.com (sends 3 Dec)');
    expect(giftCartLabel({ recipientEmail: 'ana@example.com' })).toBe(
      'Gift for ana@example.com (sends today)',
    );
    expect(giftReceiptNote(later)).toBe('Gift for ana@example.com — e-mailed on 3 Dec 2026');
    expect(giftReceiptNote({ recipientEmail: 'ana@example.com' })).toBe(
      'Gift for ana@example.com — e-mailed today',
    );
  });

  it("takes today from the till's own calendar", () => {
    expect(localDateOf(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});
