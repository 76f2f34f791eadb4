import { defineConfig } from 'vite';
import { serviceWorker } from './scripts/service-worker.mjs';

export default defineConfig({
  // Relative asset URLs: dist/ works from any folder of any static server.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  // The import Worker is an ES module, like the page's scripts.
  worker: { format: 'es' },
  plugins: [serviceWorker()],
  server: { host: '127.0.0.1', strictPort: false },
});
