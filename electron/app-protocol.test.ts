import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, createAppProtocolHandler, resolveAppPath } from './app-protocol.ts';

const root = path.resolve('/opt/entitle/dist/renderer');
const CSP = "default-src 'self'";

function fakeRenderer(files: Record<string, string>) {
  const reads: string[] = [];
  const readFile = (absolutePath: string): Promise<Uint8Array> => {
    reads.push(absolutePath);
    const relative = path.relative(root, absolutePath).split(path.sep).join('/');
    const content = files[relative];
    if (content === undefined) {
      return Promise.reject(Object.assign(new Error('no such file'), { code: 'ENOENT' }));
    }
    return Promise.resolve(new TextEncoder().encode(content));
  };
  const handler = createAppProtocolHandler({
    rendererDir: root,
    readFile,
    contentSecurityPolicy: CSP,
  });
  const get = (url: string, method = 'GET') => handler({ url, method });
  return { reads, get };
}

const site = {
  'index.html': '<!doctype html><title>Entitle</title>',
  'assets/index-abc123.js': 'console.log(1)',
  'assets/index-abc123.css': 'body{}',
  'favicon.svg': '<svg/>',
};

describe('resolveAppPath', () => {
  it.each([
    ['app://pos/', { kind: 'file', relativePath: 'index.html' }],
    ['app://pos/index.html', { kind: 'file', relativePath: 'index.html' }],
    ['app://pos/assets/a.js?v=1#x', { kind: 'file', relativePath: 'assets/a.js' }],
    ['app://pos/assets/my%20logo.png', { kind: 'file', relativePath: 'assets/my logo.png' }],
    ['app://pos/sell/checkout', { kind: 'route' }],
    // The URL parser folds literal and %2e dot segments before we see them: they stay inside.
    ['app://pos/../../etc/passwd.txt', { kind: 'file', relativePath: 'etc/passwd.txt' }],
    ['app://pos/%2e%2e/%2E%2E/etc/passwd.txt', { kind: 'file', relativePath: 'etc/passwd.txt' }],
  ])('%s', (url, expected) => {
    expect(resolveAppPath(url)).toEqual(expected);
  });

  it.each([
    'app://pos/..%2f..%2fetc%2fpasswd',
    'app://pos/%2e%2e%2f%2e%2e%2fetc/passwd',
    'app://pos/assets/..%5c..%5cwindows%5cwin.ini',
    'app://pos/%2Fetc%2Fpasswd',
    'app://pos/C:%5CWindows%5Cwin.ini',
    'app://pos/C%3A/Windows/win.ini',
    'app://pos/index.html%00.png',
    'app://pos/%E0%A4%A',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(url)).toMatchObject({ kind: 'refused', status: 400 });
  });

  it.each(['app://pos.evil/index.html', 'app://other/index.html', 'https://pos/index.html'])(
    'serves nothing for another origin: %s',
    (url) => {
      expect(resolveAppPath(url)).toMatchObject({ kind: 'refused', status: 404 });
    },
  );
});

describe('createAppProtocolHandler', () => {
  it('serves index.html at the root with the CSP and the right content type', async () => {
    const { get } = fakeRenderer(site);
    const response = await get('app://pos/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(site['index.html']);
  });

  it.each([
    ['app://pos/assets/index-abc123.js', 'text/javascript; charset=utf-8'],
    ['app://pos/assets/index-abc123.css', 'text/css; charset=utf-8'],
    ['app://pos/favicon.svg', 'image/svg+xml'],
  ])('serves %s as %s', async (url, type) => {
    const response = await fakeRenderer(site).get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-security-policy')).toBe(CSP);
  });

  it('answers an unknown route with index.html, so client-side routing works', async () => {
    const response = await fakeRenderer(site).get('app://pos/sell/checkout');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(site['index.html']);
  });

  it('answers a missing asset with 404, not with index.html', async () => {
    const response = await fakeRenderer(site).get('app://pos/assets/missing.js');
    expect(response.status).toBe(404);
  });

  it.each([
    'app://pos/..%2f..%2f..%2fetc%2fpasswd',
    'app://pos/%2Fetc%2Fpasswd',
    'app://pos/assets/..%5C..%5C..%5Csecret.txt',
    'app://pos/C:%5CWindows%5Cwin.ini',
  ])('refuses %s without touching the disk', async (url) => {
    const { get, reads } = fakeRenderer(site);
    const response = await get(url);
    expect(response.status).toBe(400);
    expect(reads).toEqual([]);
  });

  it('never reads outside the renderer folder, whatever the path', async () => {
    const { get, reads } = fakeRenderer(site);
    for (const url of [
      'app://pos//etc/passwd.txt',
      'app://pos/../../../../etc/passwd.txt',
      'app://pos/%2e%2e/%2e%2e/etc/passwd.txt',
      'app://pos/assets/./../../x.js',
    ]) {
      await get(url);
    }
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read.startsWith(root + path.sep)).toBe(true);
  });

  it('serves nothing for another host', async () => {
    const { get, reads } = fakeRenderer(site);
    expect((await get('app://pos.evil/index.html')).status).toBe(404);
    expect(reads).toEqual([]);
  });

  it('accepts only GET and HEAD; HEAD has no body', async () => {
    const { get } = fakeRenderer(site);
    expect((await get('app://pos/index.html', 'POST')).status).toBe(405);
    const head = await get('app://pos/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 500 when the file exists but cannot be read', async () => {
    const handler = createAppProtocolHandler({
      rendererDir: root,
      readFile: () => Promise.reject(Object.assign(new Error('denied'), { code: 'EACCES' })),
      contentSecurityPolicy: CSP,
    });
    expect((await handler({ url: 'app://pos/index.html', method: 'GET' })).status).toBe(500);
  });
});

describe('contentTypeFor', () => {
  it('falls back to a download type for unknown extensions', () => {
    expect(contentTypeFor('a/b.unknown')).toBe('application/octet-stream');
    expect(contentTypeFor('a/B.PNG')).toBe('image/png');
  });
});
