import type { AppInfo } from './bridge-contract.ts';
import { httpOrigin } from './security.ts';

/** ENTITLE_SERVER_URL if it is an http(s) URL; anything else is ignored (null), not guessed. */
export function serverUrlFrom(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  const url = value.trim();
  return httpOrigin(url) === null ? null : url;
}

/** What the shell tells the POS about itself; read once at startup from the environment. */
export function createAppInfo(
  version: string,
  env: Readonly<Record<string, string | undefined>>,
): AppInfo {
  return {
    shell: 'electron',
    version,
    serverUrl: serverUrlFrom(env.ENTITLE_SERVER_URL),
    demo: env.ENTITLE_DEMO === '1',
  };
}
