// Builds the web console (web/src) into web/dist, which `tributary serve` serves at `/`.
// Preact's automatic JSX runtime is set on Vite's own transformer, so no framework plugin is needed.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The AWS SDK is most of the bundle; one chunk keeps the first load to two requests.
    chunkSizeWarningLimit: 1024,
  },
});
