import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The path of Electron's binary, or null where it was never downloaded
 * (ELECTRON_SKIP_BINARY_DOWNLOAD=1, or an offline machine): the `electron` package then throws.
 */
export function findElectronBinary(): string | null {
  try {
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}
