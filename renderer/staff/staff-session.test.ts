import { describe, expect, it } from 'vitest';
import { createStaffSession, type SessionStorageLike } from './staff-session.ts';

function memoryStorage(): SessionStorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

describe('the staff session', () => {
  it('starts signed out, signs in, and survives a reload of the tab', () => {
    const storage = memoryStorage();
    const session = createStaffSession(storage);
    expect(session.getState().staffId).toBeNull();
    session.signIn('staff-alex');
    expect(session.getState()).toMatchObject({ staffId: 'staff-alex', lockedBy: null });
    expect(createStaffSession(storage).getState().staffId).toBe('staff-alex');
  });

  it('an idle lock signs out, remembers who it was and why; a reload then asks for a PIN', () => {
    const storage = memoryStorage();
    const session = createStaffSession(storage);
    session.signIn('staff-alex');
    session.signOut('idle');
    expect(session.getState()).toEqual({
      staffId: null,
      previousStaffId: 'staff-alex',
      lockedBy: 'idle',
    });
    expect(createStaffSession(storage).getState().staffId).toBeNull();
    session.signIn('staff-morgan');
    session.signOut('manual');
    expect(session.getState().lockedBy).toBeNull();
  });
});
