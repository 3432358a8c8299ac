import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './security.ts';

/** Reads a whole file; rejects with an error whose `code` is 'ENOENT' when it does not exist. */
export type ReadFile = (absolutePath: string) => Promise<Uint8Array>;

export type AppProtocolOptions = {
  /** The built renderer (dist/renderer), an absolute path. */
  readonly rendererDir: string;
  readonly readFile: ReadFile;
  readonly contentSecurityPolicy: string;
};

/** What Electron's protocol.handle passes in (a fetch Request); only these fields are used. */
export type AppRequest = { readonly url: string; readonly method: string };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type ResolvedAppPath =
  | { readonly kind: 'file'; readonly relativePath: string }
  /** A client-side route such as /sell/checkout: the single-page app handles it. */
  | { readonly kind: 'route' }
  | { readonly kind: 'refused'; readonly status: 400 | 404; readonly reason: string };

/**
 * Maps app://pos/<path> to a file inside the renderer folder, or refuses it. Each segment is
 * decoded and checked on its own, so an encoded separator (`..%2f`) or dot segment cannot
 * climb out; the URL parser has already folded literal and `%2e%2e` dot segments.
 */
export function resolveAppPath(url: string): ResolvedAppPath {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'refused', status: 400, reason: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) {
    return { kind: 'refused', status: 404, reason: 'not the app origin' };
  }
  const segments: string[] = [];
  for (const raw of parsed.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'refused', status: 400, reason: 'malformed percent-encoding' };
    }
    // ':' keeps Windows drive letters (C:) and alternate data streams out.
    if (segment === '.' || segment === '..' || /[/\\:\0]/.test(segment)) {
      return { kind: 'refused', status: 400, reason: 'path traversal' };
    }
    segments.push(segment);
  }
  const last = segments.at(-1);
  if (last === undefined) return { kind: 'file', relativePath: 'index.html' };
  if (path.extname(last) === '') return { kind: 'route' };
  return { kind: 'file', relativePath: segments.join('/') };
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: AppRequest) => Promise<Response> {
  const root = path.resolve(options.rendererDir);
  const baseHeaders = {
    'Content-Security-Policy': options.contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  const text = (status: number, body: string): Response =>
    new Response(body, {
      status,
      headers: { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
    });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return text(405, 'Method not allowed');
    }
    const resolved = resolveAppPath(request.url);
    if (resolved.kind === 'refused') return text(resolved.status, `Refused: ${resolved.reason}`);
    const relativePath = resolved.kind === 'route' ? 'index.html' : resolved.relativePath;
    const filePath = path.resolve(root, ...relativePath.split('/'));
    // Belt and braces: resolveAppPath already refused every way out we know of.
    if (!isInside(root, filePath)) return text(400, 'Refused: path traversal');
    let body: Uint8Array;
    try {
      body = await options.readFile(filePath);
    } catch (error) {
      return isNotFound(error) ? text(404, 'Not found') : text(500, 'The file could not be read');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...baseHeaders, 'Content-Type': contentTypeFor(filePath) },
    });
  };
}
