import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The preload as one CommonJS file: a sandboxed preload cannot be an ES module and cannot
 * require anything but 'electron' (and a few polyfilled built-ins), so the contract is inlined.
 */
export default defineConfig({
  root,
  // The renderer's public/ folder is not the preload's business.
  publicDir: false,
  build: {
    outDir: 'dist/electron',
    // dist/electron also holds the main process that tsc just wrote.
    emptyOutDir: false,
    // Electron 45's renderer is Chromium 142.
    target: 'chrome142',
    minify: false,
    sourcemap: false,
    lib: {
      entry: 'electron/preload.ts',
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rolldownOptions: { external: ['electron'] },
  },
});
