import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';

describe('Stripe configuration', () => {
  it('refuses a malformed key, masking it, with how to fix it', () => {
    const load = () => loadConfig({ STRIPE_SECRET_KEY: 'pk_test_notasecretkey123' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/STRIPE_SECRET_KEY="pk_test_\*\*\*" is not valid\. Use the secret key/);
  });

  it('refuses an API base override without a test key', () => {
    expect(() =>
      loadConfig({
        STRIPE_SECRET_KEY: 'sk_live_abcdefgh1234',
        STRIPE_API_BASE: 'http://127.0.0.1:9',
      }),
    ).toThrow(/STRIPE_API_BASE=.* needs a test key/);
    expect(() => loadConfig({ STRIPE_API_BASE: 'http://127.0.0.1:9' })).toThrow(/needs a test key/);
    expect(() =>
      loadConfig({ STRIPE_SECRET_KEY: 'sk_test_abcdefgh1234', STRIPE_API_BASE: 'ftp://x' }),
    ).toThrow(/STRIPE_API_BASE="ftp:\/\/x" is not valid/);
  });

  it('reads a test key with the fake, and leaves card payments off by default', () => {
    expect(
      loadConfig({
        STRIPE_SECRET_KEY: 'sk_test_abcdefgh1234',
        STRIPE_API_BASE: 'http://127.0.0.1:9/',
      }),
    ).toMatchObject({
      stripeSecretKey: 'sk_test_abcdefgh1234',
      stripeApiBase: 'http://127.0.0.1:9',
    });
    const plain = loadConfig({});
    expect(plain.stripeSecretKey).toBeUndefined();
    expect(plain.stripeApiBase).toBeUndefined();
  });
});
