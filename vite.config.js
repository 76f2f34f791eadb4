import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { serviceWorker } from './scripts/service-worker.mjs';

const LANG = fileURLToPath(new URL('./www/lang/', import.meta.url));

/**
 * In the import worker's build only, resolves lang/tables.js to lang/given.js
 * (the worker is posted the page's tables with each file). Another worker
 * that calls t() keeps its own copy until it is given the tables too.
 */
function givenTables() {
  let importWorker = false;
  return {
    name: 'planar-given-tables',
    enforce: 'pre',
    options(options) {
      importWorker = [options.input].flat().some((input) => typeof input === 'string' && input.endsWith('import-worker.js'));
    },
    resolveId(source, importer) {
      if (!importWorker || !importer || !source.endsWith('/tables.js')) return null;
      const resolved = resolve(dirname(importer), source);
      return resolved === join(LANG, 'tables.js') ? join(LANG, 'given.js') : null;
    },
  };
}

export default defineConfig({
  // Relative asset URLs: dist/ works from any folder of any static server.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  // The import Worker is an ES module, like the page's scripts; the page
  // gives it the language tables with each file, so its bundle leaves them out.
  worker: { format: 'es', plugins: () => [givenTables()] },
  plugins: [serviceWorker()],
  server: { host: '127.0.0.1', strictPort: false },
});
