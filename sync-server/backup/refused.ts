import { join } from 'node:path';

/** A backup or restore that was refused before it changed anything; the message says what to do. */
export class BackupRefused extends Error {
  override readonly name = 'BackupRefused';
}

/** What a backup or restore reports: a few lines for the person at the terminal. */
export type Say = (line: string) => void;

/** What a backup holds, counted in the copy itself. */
export type BackupContents = { readonly sales: number; readonly codes: number };

export function masterKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'master.key');
}

/** The reminder every backup and restore prints: the database alone cannot seal terminal keys. */
export function masterKeyReminder(dataDir: string): string {
  return `The master key ${masterKeyPath(dataDir)} is not in the backup: keep a copy of it somewhere else (without it every terminal must enrol again).`;
}

/** `2026-11-27T10-14-03Z`: a timestamp that is safe in a file name on every system. */
export function fileStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-');
}

export function describeContents(contents: BackupContents): string {
  return `${String(contents.sales)} sales and ${String(contents.codes)} codes`;
}
