import { describe, expect, it } from 'vitest';
import { createStderrLogger, describeError } from './logger.ts';

describe('createStderrLogger', () => {
  it('writes one JSON line per entry, and details cannot overwrite the envelope', () => {
    const lines: string[] = [];
    const logger = createStderrLogger(
      (line) => lines.push(line),
      () => new Date('2025-01-02T03:04:05.000Z'),
    );
    logger.warn('Blocked navigation', { url: 'https://evil.example/', level: 'info' });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2025-01-02T03:04:05.000Z',
      level: 'warn',
      message: 'Blocked navigation',
      url: 'https://evil.example/',
    });
  });
});

describe('describeError', () => {
  it('keeps the message of an Error and stringifies anything else', () => {
    expect(describeError(new Error('disk full'))).toBe('disk full');
    expect(describeError('plain')).toBe('plain');
  });
});
