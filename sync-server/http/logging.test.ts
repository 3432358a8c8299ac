import { describe, expect, it } from 'vitest';
import { maskCodesInUrl } from './logging.ts';

describe('log lines', () => {
  it('never carry a whole redemption code, only its terminal prefix', () => {
    expect(maskCodesInUrl('/redeem/A1B2C3D4E5F6G7H8J9K0M1N2/consume')).toBe(
      '/redeem/A1B2…/consume',
    );
    expect(maskCodesInUrl('/redeem/a1b2-c3d4-e5f6?x=1')).toBe('/redeem/a1b2…?x=1');
    expect(maskCodesInUrl('/redeem')).toBe('/redeem');
    expect(maskCodesInUrl('/api/v1/sync/stream')).toBe('/api/v1/sync/stream');
  });
});
