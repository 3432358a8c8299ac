/** What the cashier reads after a wrong or locked PIN: what happened and what to do next. */

export function wrongPinMessage(triesLeft: number, nextLockMs: number): string {
  const tries = triesLeft === 1 ? '1 try' : `${String(triesLeft)} tries`;
  return `That PIN is not right. ${tries} left before a ${describeLockLength(nextLockMs)} lock.`;
}

export function lockedMessage(msLeft: number): string {
  return `Too many wrong PINs. Try again in ${countdown(msLeft)}, or ask a manager.`;
}

/** "0:27", "12:05": minutes and seconds left, rounded up so 0:00 never shows while locked. */
export function countdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "30-second", "2-minute", "1-hour": the length of a lock, as an adjective. */
export function describeLockLength(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${String(seconds)}-second`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${String(minutes)}-minute`;
  return `${String(Math.round(minutes / 60))}-hour`;
}

/** "Locked after 2 minutes without use": the idle limit in words. */
export function idleLockNotice(idleSeconds: number): string {
  const minutes = idleSeconds / 60;
  const span = Number.isInteger(minutes)
    ? `${String(minutes)} ${minutes === 1 ? 'minute' : 'minutes'}`
    : `${String(idleSeconds)} seconds`;
  return `Locked after ${span} without use`;
}
