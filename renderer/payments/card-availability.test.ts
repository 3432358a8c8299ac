import { describe, expect, it } from 'vitest';
import { cardAvailability } from './use-card-terminal.ts';

const READY = { card: 'ready' as const, reason: '', simulated: true, testMode: false };
const READER = { id: 'tmr_1', label: 'Front desk', simulated: false };

describe('when the Card tender is off, and why', () => {
  it('is off while offline, whatever the server said last', () => {
    expect(cardAvailability({ online: false, status: READY, connected: READER })).toEqual({
      state: 'unavailable',
      reason: 'Offline: card payments need the server. Take cash.',
    });
  });

  it('passes on the server’s reason when card is not configured or Stripe is unreachable', () => {
    const reason =
      'The card processor cannot be reached. Take cash, or try card again in a minute.';
    expect(
      cardAvailability({
        online: true,
        status: { card: 'unreachable', reason, simulated: false, testMode: false },
        connected: READER,
      }),
    ).toEqual({ state: 'unavailable', reason });
    expect(
      cardAvailability({
        online: true,
        status: {
          card: 'not_configured',
          reason: 'Not set up: take cash.',
          simulated: false,
          testMode: false,
        },
        connected: null,
      }).state,
    ).toBe('unavailable');
  });

  it('asks for a reader when none is connected, and is ready with one', () => {
    expect(cardAvailability({ online: true, status: READY, connected: null })).toEqual({
      state: 'no_reader',
      reason: 'No card reader is connected.',
    });
    expect(cardAvailability({ online: true, status: null, connected: READER }).state).toBe(
      'checking',
    );
    expect(cardAvailability({ online: true, status: READY, connected: READER })).toEqual({
      state: 'ready',
      reader: READER,
    });
  });
});
