import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const rendererRoot = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

// The UI is served by `quire serve` from app/dist (browser mode) and loaded by Electron from the same
// server, so every asset — monaco's worker, duckdb-wasm's worker and .wasm — is bundled here and
// referenced relatively; nothing is fetched from a CDN.
export default defineConfig({
  root: rendererRoot,
  base: './',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8_000,
    assetsInlineLimit: 0,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
