// Writes the service worker of a built site: www/sw.js with the list of the
// site's files and their content hashes in place of its BUILD line, as sw.js
// beside index.html. The list is whatever the build wrote, never kept by hand,
// and the version is a hash of it, so any change to any file is a new worker.
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

const TEMPLATE = resolve(import.meta.dirname, '../www/sw.js');
export const WORKER = 'sw.js';
/** The line of www/sw.js the build fills in; its JSON is group 1. */
export const BUILD_LINE = /^const BUILD = (.*);$/m;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** Every file under `dir` (but the worker), as a path relative to it with '/' separators, sorted. */
async function siteFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => path !== WORKER)
    .sort();
}

/** Writes `dir`/sw.js for the site in `dir`; returns the build's version and files. */
export async function writeServiceWorker(dir) {
  const files = [];
  for (const path of await siteFiles(dir)) {
    files.push({ path, hash: sha256(await readFile(join(dir, path))).slice(0, 16) });
  }
  if (!files.some(({ path }) => path === 'index.html')) throw new Error(`no index.html in ${dir}`);
  const version = sha256(JSON.stringify(files)).slice(0, 16);
  const build = { version, files };
  const template = await readFile(TEMPLATE, 'utf8');
  if (!BUILD_LINE.test(template)) throw new Error(`${TEMPLATE} has no "const BUILD = ...;" line to fill in`);
  await writeFile(join(dir, WORKER), template.replace(BUILD_LINE, () => `const BUILD = ${JSON.stringify(build)};`));
  return build;
}

/** The Vite plugin: after a build has written its files, the worker for them. */
export function serviceWorker() {
  let outDir = '';
  let logger;
  return {
    name: 'planar-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      logger = config.logger;
    },
    writeBundle: {
      sequential: true,
      order: 'post',
      async handler() {
        const { files } = await writeServiceWorker(outDir);
        logger.info(`${WORKER}: ${files.length} files kept for offline use`);
      },
    },
  };
}
