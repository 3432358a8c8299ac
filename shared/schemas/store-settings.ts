import { z } from 'zod';
import { DocumentId, Timestamp } from './common.ts';

/** Bounds of the idle lock a manager may choose, in seconds. */
export const MIN_IDLE_LOCK_SECONDS = 30;
export const MAX_IDLE_LOCK_SECONDS = 60 * 60;

/**
 * A store's rules for its counters, set on the dashboard and pulled by its terminals (one
 * document per store, `id` = the store's id). Checked offline at the counter.
 */
export const StoreSettings = z.strictObject({
  id: DocumentId,
  storeId: DocumentId,
  /**
   * A discount above this share of what it applies to needs a manager's PIN, in thousandths of
   * a percent (10_000 = 10 %). 0: every discount needs approval; 100_000: none does.
   */
  discountApprovalMilliPercent: z.int().min(0).max(100_000),
  /** The counter locks after this many seconds without a touch or key. */
  idleLockSeconds: z.int().min(MIN_IDLE_LOCK_SECONDS).max(MAX_IDLE_LOCK_SECONDS),
  updatedAt: Timestamp,
});
export type StoreSettings = z.infer<typeof StoreSettings>;

export const DEFAULT_DISCOUNT_APPROVAL_MILLI_PERCENT = 10_000;
export const DEFAULT_IDLE_LOCK_SECONDS = 120;
