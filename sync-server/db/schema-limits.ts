/** Row types of the tables of migration 0011 (shared limits); schema.ts re-exports them. */

/** A request counter for one route and client, reset at `resets_at` (epoch ms). */
export interface RateLimitsTable {
  key: string;
  hits: number;
  resets_at: number;
}

/** One failed dashboard sign-in, counted against an address and an e-mail. */
export interface SigninFailuresTable {
  key: string;
  failed_at: number;
}
