import { describe, expect, it } from 'vitest';
import {
  GENERATION_HEADER,
  PENDING_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
} from '../../shared/schemas/protocol.ts';
import { createApiClient, type FetchLike } from './api-client.ts';

function recordingFetch() {
  const seen: Record<string, string>[] = [];
  const fetch: FetchLike = (_url, init) => {
    seen.push({ ...(init?.headers as Record<string, string>) });
    return Promise.resolve(new Response('{}', { status: 200 }));
  };
  return { fetch, seen };
}

describe('the sync API client', () => {
  it('reports the backlog with every request, as it is at that moment', async () => {
    const { fetch, seen } = recordingFetch();
    let pending: number | null = null;
    const client = createApiClient({
      serverUrl: 'http://till.test',
      token: 't'.repeat(40),
      fetch,
      pending: () => pending,
    });
    await client.request('/sync/products/pull');
    pending = 7;
    await client.request('/sync/products/pull');
    expect(seen[0]?.[PENDING_HEADER]).toBeUndefined();
    expect(seen[1]?.[PENDING_HEADER]).toBe('7');
    expect(seen[1]?.[PROTOCOL_HEADER]).toBe(String(PROTOCOL_VERSION));
  });

  it('reports the generation of every response that carries one, refusals too', async () => {
    const answers = [
      new Response('{}', { status: 200, headers: { [GENERATION_HEADER]: '41' } }),
      new Response('{}', { status: 200 }),
      new Response('{}', { status: 200, headers: { [GENERATION_HEADER]: 'x1' } }),
      new Response('{"error":"down","message":"Later."}', {
        status: 503,
        headers: { [GENERATION_HEADER]: '42' },
      }),
    ];
    const fetch: FetchLike = () => Promise.resolve(answers.shift() ?? new Response('{}'));
    const seen: number[] = [];
    const client = createApiClient({
      serverUrl: 'http://till.test',
      fetch,
      onGeneration: (generation) => seen.push(generation),
    });
    for (let i = 0; i < 3; i += 1) await client.request('/sync/products/pull');
    await expect(client.request('/sync/products/pull')).rejects.toThrow('Later.');
    expect(seen).toEqual([41, 42]);
  });
});
