import packageJson from '../../package.json' with { type: 'json' };
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HealthResponse, PROTOCOL_VERSION } from '../../shared/schemas/protocol.ts';
import { createTestApp, type TestApp } from '../test-support/harness.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ demo: true });
});
afterEach(async () => {
  await t.close();
});

describe('GET /health', () => {
  it('answers an unknown API path with a JSON 404 a person can act on', async () => {
    const response = await t.app.inject({ url: '/api/v1/nothing?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: 'not_found',
      message:
        'There is no GET /api/v1/nothing on this server. Check the server address and update the app.',
    });
  });

  it('says the server is up, its versions and whether it is a demo', async () => {
    const response = await t.app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(HealthResponse.parse(response.json())).toEqual({
      status: 'ok',
      version: packageJson.version,
      protocolVersion: PROTOCOL_VERSION,
      demo: true,
      time: '2026-11-26T10:00:00.000Z',
    });
  });
});

describe('CORS', () => {
  it('is not offered on the portal', async () => {
    const response = await t.app.inject({
      url: '/redeem',
      headers: { origin: 'https://evil.example' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows any origin on the API and health, with the headers a terminal sends', async () => {
    const health = await t.app.inject({
      url: '/health',
      headers: { origin: 'http://localhost:5174' },
    });
    expect(health.headers['access-control-allow-origin']).toBe('*');
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/sync/sales/push',
      headers: {
        origin: 'http://localhost:5174',
        'access-control-request-method': 'POST',
        'access-control-request-headers':
          'authorization,content-type,entitle-protocol,entitle-pending',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-headers']).toBe(
      'authorization, content-type, entitle-protocol, entitle-pending',
    );
  });
});
