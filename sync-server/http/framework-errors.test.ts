import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/harness.ts';
import { errorOf, syncHeaders } from '../test-support/sales.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

// Found by the fuzzers (test/fuzz, FUZZ_SEED=20261127): the router answered these with fastify's
// own body ("'/api/v1/…' is not a valid url component"), not a sentence a person can act on.
describe('URLs the router cannot read', () => {
  it('answers a broken %-escape with 400 and what to do', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/entitlements/%E0%A4%A/consume',
      headers: syncHeaders('any'),
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toEqual({
      error: 'bad_url',
      message: 'The address has a broken %-escape. Check the link, or type the address again.',
    });
  });

  it('answers an over-long path segment with 414 and what to do', async () => {
    const response = await t.app.inject({ url: `/redeem/${'A'.repeat(500)}` });
    expect(response.statusCode).toBe(414);
    expect(errorOf(response).error).toBe('url_too_long');
    expect(errorOf(response).message).toMatch(/longer than 100 characters/);
  });
});
