// Offline: the built page, served from a sub-folder, keeps working without a
// network once it has been opened; a new build replaces the cached one; two
// copies in two folders of one server do not disturb each other. Each test
// has a fresh browser context (no worker, no cache) and a fresh copy of dist/.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as forward } from 'node:http';
import { join } from 'node:path';
import { DIST, RESULTS, launch, openPage, serve } from './harness.mjs';
import { BUILD_LINE, WORKER, writeServiceWorker } from '../../scripts/service-worker.mjs';

const BUILT = process.env.PLANAR_DIST || DIST;
const SITE = join(RESULTS, 'offline-site');
const FOLDERS = ['planar', 'other'];

/**
 * The harness's static server of SITE behind a proxy with faults to switch on
 * (`server.faults`): `stall`, a network that connects but never delivers;
 * `status`, every answer that HTTP status (a server that is down behind its
 * proxy); `redirectIndex`, .../index.html sent on to its folder, as some
 * servers do. `server.heal()` switches them off and drops stalled requests.
 */
async function serveWithFaults() {
  const upstream = await serve(SITE);
  const held = [];
  const faults = { stall: false, status: 0, redirectIndex: false };
  const proxy = createServer((request, response) => {
    if (faults.stall) {
      held.push(response);
      return;
    }
    if (faults.status) {
      response.writeHead(faults.status, { 'content-type': 'text/plain' });
      response.end('the server is away');
      return;
    }
    if (faults.redirectIndex && request.url.endsWith('/index.html')) {
      response.writeHead(301, { location: request.url.slice(0, -'index.html'.length) });
      response.end();
      return;
    }
    const onward = forward(new URL(request.url, upstream.url), { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    onward.on('error', () => response.destroy());
    request.pipe(onward);
  });
  await new Promise((done) => proxy.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${proxy.address().port}/`,
    faults,
    heal() {
      Object.assign(faults, { stall: false, status: 0, redirectIndex: false });
      for (const response of held.splice(0)) response.destroy();
    },
    async close() {
      this.heal();
      proxy.closeAllConnections();
      await new Promise((done) => proxy.close(done));
      await upstream.close();
    },
  };
}

const shared = {};
before(async () => {
  shared.server = await serveWithFaults();
  shared.browser = await launch();
});
after(async () => {
  await shared.browser?.close();
  await shared.server?.close();
  await rm(SITE, { recursive: true, force: true });
});
beforeEach(async () => {
  shared.server.heal();
  await rm(SITE, { recursive: true, force: true });
  for (const folder of FOLDERS) await cp(BUILT, join(SITE, folder), { recursive: true });
});

const folderUrl = (folder) => `${shared.server.url}${folder}/`;

/** Waits until the page's worker controls it: the build is in the cache by then. */
const controlled = (page) => page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });

/**
 * Opens the page from `folder` in a fresh context and waits until its worker
 * controls it and nothing is loading any more (the training Worker fetches
 * the engine after the page: a navigation before that would cut it off).
 */
async function openCached(folder) {
  const opened = await openPage(shared.browser, folderUrl(folder));
  await controlled(opened.page);
  await opened.page.waitForLoadState('networkidle');
  return opened;
}

/** The page has started and trains the tutorial's 400 points. */
async function assertTrains(page) {
  await page.waitForFunction(() => Number(document.querySelector('#iteration').textContent) > 20, null, { timeout: 30_000 });
  assert.equal(await page.textContent('#points'), '400');
  assert.equal(await page.isVisible('#error'), false);
}

/** Polls `condition` (in Node) until it holds. */
async function eventually(condition, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** The names of the caches the page's origin holds for `folder`. */
const cachesOf = (page, folder) => page.evaluate((scope) => caches.keys().then((names) => names.filter((name) => name.includes(scope))), folderUrl(folder));

test('the build lists every file it wrote in its worker, and the worker is the template with that list', async () => {
  const worker = await readFile(join(BUILT, WORKER), 'utf8');
  const template = await readFile(new URL('../../www/sw.js', import.meta.url), 'utf8');
  const line = BUILD_LINE.exec(worker);
  assert.ok(line, 'a BUILD line in the built worker');
  assert.equal(worker.replace(line[0], ''), template.replace(BUILD_LINE, ''));
  const build = JSON.parse(line[1]);
  const paths = build.files.map(({ path }) => path);
  for (const expected of ['index.html', 'favicon.svg', 'manifest.webmanifest']) assert.ok(paths.includes(expected), `${expected} in ${paths}`);
  assert.ok(paths.some((path) => /^assets\/.+\.wasm$/.test(path)), `the wasm in ${paths}`);
  assert.ok(paths.some((path) => /^assets\/.+\.js$/.test(path)), `the script in ${paths}`);
  assert.ok(!paths.includes(WORKER));
  // Written again from the same files, the worker is the same; the files are the ones on disk.
  const copy = join(SITE, FOLDERS[0]);
  assert.deepEqual(await writeServiceWorker(copy), build);
  assert.equal(await readFile(join(copy, WORKER), 'utf8'), worker);
});

test('the manifest is read without errors and names the page\'s folder and its icon', async () => {
  const { page, problems, context } = await openPage(shared.browser, folderUrl('planar'));
  const session = await context.newCDPSession(page);
  const { url, errors, data } = await session.send('Page.getAppManifest');
  assert.equal(url, `${folderUrl('planar')}manifest.webmanifest`);
  assert.deepEqual(errors, []);
  const manifest = JSON.parse(data);
  assert.equal(new URL(manifest.start_url, url).href, folderUrl('planar'));
  assert.equal(new URL(manifest.scope, url).href, folderUrl('planar'));
  const icon = await page.evaluate((src) => fetch(src).then((r) => r.headers.get('content-type')), new URL(manifest.icons[0].src, url).href);
  assert.match(icon, /^image\/svg\+xml/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('opened once from a sub-folder, the page opens and trains with the network gone', async () => {
  const { page, problems, context } = await openCached('planar');
  const scope = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.scope));
  assert.equal(scope, folderUrl('planar'));
  await context.setOffline(true);
  // A file the build does not have goes to the network, which is gone.
  assert.equal(await page.evaluate(() => fetch('./not-in-the-build').then(() => 'online', () => 'offline')), 'offline');
  assert.ok(problems.length > 0 && problems.every((p) => /not-in-the-build|ERR_INTERNET_DISCONNECTED/.test(p)), problems.join('\n'));
  problems.length = 0;
  const fromWorker = [];
  page.on('response', (response) => fromWorker.push(response.fromServiceWorker()));
  await page.reload();
  await assertTrains(page);
  assert.ok(fromWorker.length > 3 && fromWorker.every(Boolean), `responses from the worker: ${fromWorker}`);
  // A link with a query (a language, say) and index.html by name open too.
  await page.goto(`${folderUrl('planar')}index.html?lang=en`);
  await assertTrains(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a new build replaces the cached one: the first reload shows it, and it is what opens offline', async () => {
  const { page, problems, context } = await openCached('planar');
  const [cacheA] = await cachesOf(page, 'planar');
  assert.ok(cacheA);

  // Build B: the same files with a version string in the page, and its own worker.
  const folder = join(SITE, 'planar');
  await rm(folder, { recursive: true });
  await cp(BUILT, folder, { recursive: true });
  const html = await readFile(join(folder, 'index.html'), 'utf8');
  await writeFile(join(folder, 'index.html'), html.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n  <meta name="build" content="B">'));
  const { version } = await writeServiceWorker(folder);
  assert.ok(!cacheA.endsWith(version));

  const build = () => page.evaluate(() => document.querySelector('meta[name="build"]')?.content
    ?? (document.querySelector('#plot') ? 'A' : document.body.innerText.slice(0, 300)));
  assert.equal(await build(), 'A');
  await page.reload();
  assert.equal(await build(), 'B', 'the first reload shows the new build');
  await assertTrains(page);

  // The new worker takes over and keeps build B only (Chromium checks for it
  // about a minute after the reload).
  await eventually(async () => {
    const names = await cachesOf(page, 'planar');
    return names.length === 1 && names[0].endsWith(version);
  }, 'the only cache of the folder is build B\'s', 150_000);
  await context.setOffline(true);
  await page.reload();
  assert.equal(await build(), 'B', 'offline, the page is the new build');
  await assertTrains(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test('two copies in two folders of one server keep their own caches', async () => {
  const { page, problems, context } = await openCached('planar');
  const other = await context.newPage();
  await other.goto(folderUrl('other'));
  await controlled(other);
  const names = await page.evaluate(() => caches.keys());
  assert.equal(names.length, 2, names.join('\n'));
  assert.equal((await cachesOf(page, 'planar')).length, 1);
  assert.equal((await cachesOf(page, 'other')).length, 1);
  await context.setOffline(true);
  for (const each of [page, other]) {
    await each.reload();
    await assertTrains(each);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a network that connects but never answers, the cached page opens', async () => {
  const { page, problems, context } = await openCached('planar');
  shared.server.faults.stall = true;
  await page.reload({ timeout: 30_000 });
  await assertTrains(page);
  shared.server.heal();
  assert.deepEqual(problems, []);
  await context.close();
});

test('when the server answers with a server error, the cached page opens', async () => {
  const { page, problems, context } = await openCached('planar');
  shared.server.faults.status = 503;
  await page.reload();
  await assertTrains(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a server that sends index.html on to its folder, the page follows it online and opens offline', async () => {
  shared.server.faults.redirectIndex = true;
  const { page, problems, context } = await openCached('planar');
  await page.goto(`${folderUrl('planar')}index.html`);
  assert.equal(page.url(), folderUrl('planar'), 'the redirect is followed, not answered from the cache');
  await assertTrains(page);
  await context.setOffline(true);
  await page.goto(`${folderUrl('planar')}index.html`);
  await assertTrains(page);
  assert.deepEqual(problems, []);
  await context.close();
});
