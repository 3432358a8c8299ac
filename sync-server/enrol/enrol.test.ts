import { afterEach, describe, expect, it } from 'vitest';
import { API_PREFIX, EnrolResponse } from '../../shared/schemas/protocol.ts';
import { hashSecret } from '../keys/secrets.ts';
import { createTestApp, seededRandomBytes, type TestApp } from '../test-support/harness.ts';
import { errorOf, syncHeaders } from '../test-support/sales.ts';
import { PAIRING_CODE_TTL_MS } from './pairing-codes.ts';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

function enrol(payload: unknown, url = `${API_PREFIX}/enrol`) {
  return t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
}

describe('POST /api/v1/enrol', () => {
  it('refuses a bad body and says which field', async () => {
    t = await createTestApp();
    const code = await t.pairingCode();
    const missing = await enrol({ pairingCode: code });
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing).error).toBe('bad_request');
    expect(errorOf(missing).message).toMatch(/terminalName/);
    const malformed = await enrol({ pairingCode: 'ABC', terminalName: 'Till' });
    expect(errorOf(malformed).message).toMatch(
      /pairingCode: A pairing code is eight letters and digits/,
    );
    const extra = await enrol({ pairingCode: code, terminalName: 'Till', admin: true });
    expect(extra.statusCode).toBe(400);
    const notJson = await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/enrol`,
      headers: { 'content-type': 'application/json' },
      payload: '{"pairingCode":',
    });
    expect(errorOf(notJson)).toEqual({
      error: 'bad_request',
      message: 'The request body is not valid JSON.',
    });
    // Form bodies are for the portal only; the API takes JSON.
    const form = await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/enrol`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `pairingCode=${code}&terminalName=Till`,
    });
    expect(form.statusCode).toBe(415);
    expect(errorOf(form).error).toBe('unsupported_media_type');
  });

  it('refuses a wrong pairing code and says how to get a new one', async () => {
    t = await createTestApp();
    await t.pairingCode();
    const response = await enrol({ pairingCode: 'ZZZZ-9999', terminalName: 'Till' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'pairing_code_invalid',
      message:
        'That pairing code is not valid, already used or expired. Create a new one on the server (npm run server -- pairing-code).',
    });
  });

  it('refuses an expired pairing code', async () => {
    t = await createTestApp();
    const code = await t.pairingCode();
    t.clock.advance(PAIRING_CODE_TTL_MS);
    const response = await enrol({ pairingCode: code, terminalName: 'Till' });
    expect(response.json()).toMatchObject({ error: 'pairing_code_invalid' });
  });

  it('rate limits guessing per address', async () => {
    t = await createTestApp({ rateLimits: { enrol: 3 } });
    for (let i = 0; i < 3; i++) {
      expect((await enrol({ pairingCode: 'ZZZZ-9999', terminalName: 'Till' })).statusCode).toBe(
        400,
      );
    }
    const limited = await enrol({ pairingCode: 'ZZZZ-9999', terminalName: 'Till' });
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).error).toBe('rate_limited');
    expect(errorOf(limited).message).toMatch(/^Too many attempts\. Wait .+ and try again\.$/);
  });

  it('enrols once: the token works, the secrets are stored hashed or sealed, the code is used up', async () => {
    t = await createTestApp();
    const code = await t.pairingCode();
    const response = await enrol({
      pairingCode: ` ${code.toLowerCase()} `,
      terminalName: ' Till 1 ',
    });
    expect(response.statusCode).toBe(200);
    const credentials = EnrolResponse.parse(response.json());
    expect(credentials).toMatchObject({
      storeId: t.store.id,
      storeName: 'Test Shop',
      currency: 'EUR',
      terminalName: 'Till 1',
      enrolledAt: '2026-11-26T10:00:00.000Z',
    });
    expect(Buffer.from(credentials.codeKey, 'base64url')).toHaveLength(32);

    const pull = await t.app.inject({
      url: `${API_PREFIX}/sync/products/pull`,
      headers: syncHeaders(credentials.token),
    });
    expect(pull.statusCode).toBe(200);

    const row = await t.db.selectFrom('terminals').selectAll().executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashSecret(credentials.token));
    expect(row.code_key_enc).not.toContain(credentials.codeKey);
    expect(
      JSON.stringify(await t.db.selectFrom('pairing_codes').selectAll().execute()),
    ).not.toContain(code.replace('-', ''));

    const again = await enrol({ pairingCode: code, terminalName: 'Till 2' });
    expect(again.json()).toMatchObject({ error: 'pairing_code_invalid' });
  });

  it('retries when a random terminal prefix is already taken', async () => {
    // A random source that repeats itself: the second terminal first draws the first's prefix.
    const seeded = seededRandomBytes('collide');
    let replay: Uint8Array | null = null;
    let prefixDraws = 0;
    t = await createTestApp({
      randomBytes: (size) => {
        if (size !== 3) return seeded(size);
        prefixDraws += 1;
        if (prefixDraws === 2 && replay) return replay;
        const bytes = seeded(size);
        replay ??= bytes;
        return bytes;
      },
    });
    const first = EnrolResponse.parse(
      (await enrol({ pairingCode: await t.pairingCode(), terminalName: 'A' })).json(),
    );
    const second = EnrolResponse.parse(
      (await enrol({ pairingCode: await t.pairingCode(), terminalName: 'B' })).json(),
    );
    expect(prefixDraws).toBe(3);
    expect(second.terminalPrefix).not.toBe(first.terminalPrefix);
  });
});

describe('POST /api/v1/enrol/demo', () => {
  it('is not found outside demo mode', async () => {
    t = await createTestApp();
    const response = await enrol({ terminalName: 'Till' }, `${API_PREFIX}/enrol/demo`);
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).error).toBe('not_found');
    expect(errorOf(response).message).toMatch(/not in demo mode\. Enrol with a pairing code/);
    expect(await t.db.selectFrom('terminals').selectAll().execute()).toEqual([]);
  });

  it('refuses a bad body', async () => {
    t = await createTestApp({ demo: true });
    const response = await enrol({ terminalName: '' }, `${API_PREFIX}/enrol/demo`);
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).message).toMatch(/terminalName/);
  });

  it('enrols into the demo store in demo mode', async () => {
    t = await createTestApp({ demo: true });
    const response = await enrol({ terminalName: 'Demo till' }, `${API_PREFIX}/enrol/demo`);
    expect(response.statusCode).toBe(200);
    expect(EnrolResponse.parse(response.json())).toMatchObject({
      storeId: 'demo-store',
      storeName: 'Entitle Demo Shop',
      terminalName: 'Demo till',
    });
  });
});
