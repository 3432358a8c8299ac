import { describe, expect, it } from 'vitest';
import { toHttpError } from '../../sync-server/http/errors.ts';

/** A database error as the drivers throw them: better-sqlite3's SqliteError, pg's DatabaseError. */
function databaseError(code: string): Error {
  return Object.assign(new Error(`database said ${code}`), { code });
}

describe('a database that cannot take writes', () => {
  it.each([
    'SQLITE_READONLY',
    'SQLITE_READONLY_DBMOVED',
    'SQLITE_FULL',
    'SQLITE_IOERR',
    'SQLITE_IOERR_WRITE',
    'SQLITE_BUSY',
    '25006',
    '53100',
    '53300',
    '57P01',
    '08006',
    '08003',
    '40001',
    '40P01',
    'ECONNREFUSED',
    'ECONNRESET',
  ])('%s answers 503 saying nothing was saved and the till sends again', (code) => {
    const http = toHttpError(databaseError(code));
    expect(http.statusCode).toBe(503);
    expect(http.code).toBe('storage_unavailable');
    expect(http.message).toMatch(/Nothing was saved/);
    expect(http.message).toMatch(/send them again automatically/);
  });

  it.each([
    'Connection terminated unexpectedly',
    'Client has encountered a connection error and is not queryable',
    'timeout exceeded when trying to connect',
  ])('pg losing its connection ("%s", no code) answers 503 too', (message) => {
    expect(toHttpError(new Error(message)).statusCode).toBe(503);
  });

  it('any other error without a code is a 500', () => {
    expect(toHttpError(new Error('Connection refused by the printer')).statusCode).toBe(500);
  });

  it.each(['SQLITE_CONSTRAINT_UNIQUE', '23505', '42P01', 'SQLITE_ERROR'])(
    '%s is not a storage outage: a 500 that hides the details',
    (code) => {
      expect(toHttpError(databaseError(code)).statusCode).toBe(500);
    },
  );
});
