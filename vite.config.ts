import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Builds the POS renderer; the same files run in Electron (app://pos/) and as the web POS. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2023',
    // One bundle, loaded from disk (Electron) or a local host: splitting it would buy nothing.
    chunkSizeWarningLimit: 1024,
  },
  server: { port: 5173, strictPort: true },
});
