// ESLint over every JavaScript file of the project: the recommended rules,
// with the globals of where each file runs. `npm test` runs it with
// --max-warnings 0, as clippy runs with warnings as errors.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/', 'www/pkg/', 'node_modules/', 'target/', 'test-results/', 'bench/results/'] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // `const { key: _, ...rest } = object` is how a key is left out of a copy.
      'no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  // The page.
  { files: ['www/**/*.js'], languageOptions: { globals: globals.browser } },
  // The service worker, the import worker and the training worker.
  { files: ['www/sw.js'], languageOptions: { globals: globals.serviceworker } },
  { files: ['www/import-worker.js', 'www/train-worker.js'], languageOptions: { globals: globals.worker } },
  // Node: the tests, the scripts, the benchmarks and the configuration. The
  // browser tests also hand functions to the page (page.evaluate), which run
  // there, so they see the browser's globals too.
  {
    files: ['tests/**/*.mjs', 'scripts/**/*.mjs', 'bench/**/*.mjs', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['tests/browser/**/*.mjs', 'scripts/screenshot.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
];
