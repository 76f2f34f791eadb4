import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { serviceWorker } from './scripts/service-worker.mjs';

const LANG = fileURLToPath(new URL('./www/lang/', import.meta.url));

/** The Workers whose builds leave the language tables out: the page posts them its tables. */
const GIVEN_TABLES = ['import-worker.js', 'train-worker.js'];

/** In those Workers' builds, resolves lang/tables.js to lang/given.js. */
function givenTables() {
  let given = false;
  return {
    name: 'planar-given-tables',
    enforce: 'pre',
    options(options) {
      given = [options.input].flat().some((input) => typeof input === 'string' && GIVEN_TABLES.some((name) => input.endsWith(name)));
    },
    resolveId(source, importer) {
      if (!given || !importer || !source.endsWith('/tables.js')) return null;
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
  // The Workers are ES modules, like the page's scripts; the page gives them
  // the language tables, so their bundles leave them out.
  worker: { format: 'es', plugins: () => [givenTables()] },
  plugins: [serviceWorker()],
  server: { host: '127.0.0.1', strictPort: false },
});
