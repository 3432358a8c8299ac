import { describe, expect, it } from 'vitest';
import { countdown, idleLockNotice, lockedMessage, wrongPinMessage } from './pin-messages.ts';

describe('what the cashier reads', () => {
  it('after a wrong PIN: the tries left and how long the lock would be', () => {
    expect(wrongPinMessage(4, 30_000)).toBe(
      'That PIN is not right. 4 tries left before a 30-second lock.',
    );
    expect(wrongPinMessage(1, 120_000)).toBe(
      'That PIN is not right. 1 try left before a 2-minute lock.',
    );
    expect(wrongPinMessage(2, 3_600_000)).toBe(
      'That PIN is not right. 2 tries left before a 1-hour lock.',
    );
  });

  it('while locked: a countdown rounded up, never 0:00 while still locked', () => {
    expect(lockedMessage(27_000)).toBe('Too many wrong PINs. Try again in 0:27, or ask a manager.');
    expect(countdown(400)).toBe('0:01');
    expect(countdown(125_000)).toBe('2:05');
    expect(countdown(-5)).toBe('0:00');
  });

  it('after an idle lock: the limit in words', () => {
    expect(idleLockNotice(120)).toBe('Locked after 2 minutes without use');
    expect(idleLockNotice(60)).toBe('Locked after 1 minute without use');
    expect(idleLockNotice(45)).toBe('Locked after 45 seconds without use');
  });
});
