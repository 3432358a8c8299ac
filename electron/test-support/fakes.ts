import type { TerminalCredentials } from '../../shared/schemas/protocol.ts';
import type { Logger } from '../logger.ts';

export type LogEntry = {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly details: Record<string, unknown> | undefined;
};

/** A logger that keeps what it was told, so tests can assert that a failure was reported. */
export function recordingLogger(): Logger & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (message, details) => entries.push({ level: 'info', message, details }),
    warn: (message, details) => entries.push({ level: 'warn', message, details }),
    error: (message, details) => entries.push({ level: 'error', message, details }),
  };
}

export function validCredentials(): TerminalCredentials {
  return {
    serverUrl: 'https://sync.example.test',
    storeId: 'store_1',
    storeName: 'High Street',
    currency: 'EUR',
    terminalId: 'terminal_1',
    terminalName: 'Till 1',
    terminalPrefix: 'T0T0',
    token: 'tok_'.padEnd(40, 'x'),
    codeKey: 'k'.repeat(43),
    redeemBaseUrl: 'https://sync.example.test/redeem',
    enrolledAt: '2025-01-02T03:04:05.000Z',
  };
}
