import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The path of Electron's binary, or null where it was never downloaded
 * (ELECTRON_SKIP_BINARY_DOWNLOAD=1, an offline machine). Checked on disk before
 * require('electron'), because the package's index.js tries to download a missing binary.
 */
export function findElectronBinary(): string | null {
  const require = createRequire(import.meta.url);
  try {
    const packageDir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const relative = readFileSync(pathFile, 'utf8');
    const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
    if (!existsSync(path.join(distDir, relative))) return null;
    const binary: unknown = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}
