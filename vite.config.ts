import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * `PROFILE_BUILD=1 vite build --outDir <dir>`: a POS for profiling, not minified and with Dexie's
 * readable build instead of its minified one, so a CPU profile names the functions inside
 * RxDB's storage (docs/PERFORMANCE.md, "Reproduce"). Never shipped.
 */
const profiling = process.env.PROFILE_BUILD === '1';
const readableDexie = fileURLToPath(new URL('node_modules/dexie/dist/dexie.mjs', import.meta.url));

/** Builds the POS renderer; the same files run in Electron (app://pos/) and as the web POS. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  ...(profiling ? { resolve: { alias: [{ find: /^dexie$/, replacement: readableDexie }] } } : {}),
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2023',
    minify: !profiling,
    // One bundle, loaded from disk (Electron) or a local host: splitting it would buy nothing.
    chunkSizeWarningLimit: profiling ? 4096 : 1024,
  },
  server: { port: 5173, strictPort: true },
});
