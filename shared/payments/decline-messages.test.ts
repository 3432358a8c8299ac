import { describe, expect, it } from 'vitest';
import { declineMessage, GENERIC_DECLINE } from './decline-messages.ts';

describe('declineMessage', () => {
  it('words a known decline with what to do next', () => {
    expect(declineMessage('insufficient_funds')).toBe(
      'Declined: not enough funds on the card. Ask for another card or take cash.',
    );
  });

  it('gives the generic sentence for an unknown or missing code', () => {
    expect(declineMessage('do_not_honor_v2')).toBe(GENERIC_DECLINE);
    expect(declineMessage(undefined)).toBe(GENERIC_DECLINE);
    expect(declineMessage('')).toBe(GENERIC_DECLINE);
  });
});
