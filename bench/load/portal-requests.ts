import { randomBytes } from 'node:crypto';
import type { LoadRequest } from './fixed-rate.ts';

/** GET /redeem/:code round all the codes: the page a scanned QR code opens. */
export function lookups(codes: readonly string[]): () => LoadRequest {
  let looked = 0;
  return () => ({ method: 'GET', path: `/redeem/${codes[looked++ % codes.length] ?? ''}` });
}

/**
 * POST /redeem/:code/consume ("Redeem now"), each on the next code never redeemed, with a
 * browser's double-submit pair: the cookie the lookup page set and the form's hidden field. One
 * source serves the warm-up and the measured run, so no code is redeemed twice.
 */
export function redemptions(codes: readonly string[]): () => LoadRequest {
  const csrf = randomBytes(32).toString('base64url');
  let redeemed = 0;
  return () => ({
    method: 'POST',
    path: `/redeem/${codes[redeemed++] ?? 'none-left'}/consume`,
    headers: {
      cookie: `entitle_csrf=${csrf}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `csrf=${csrf}`,
  });
}

/** The warm-ups before the measured rates: 2 s at 100 requests a second. */
export const WARM_UP = { rate: 100, seconds: 2 } as const;
