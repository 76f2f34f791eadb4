// The service worker that keeps the built page working without a network.
// The build (scripts/service-worker.mjs) writes it to dist/sw.js with the list
// of the build's files and their content hashes in place of BUILD below, so a
// new build is a new worker, which the browser installs on its own.
//
// - Install: every file of the build into one cache named by the folder the
//   page is served from and the build's version. A cache is always one whole
//   build; another copy of Planar in another folder of the same server keeps
//   its own.
// - The page itself (index.html): from the network first, so a reload shows a
//   new deploy at once; from the cache when the network fails or does not
//   answer within NETWORK_TIMEOUT_MS.
// - The other files of the build: from the cache (their names carry content
//   hashes), from the network if the cache lost them. Any other request is
//   left to the browser.
// - Activate: the new worker takes over open pages at once and deletes the
//   caches of older builds of this folder.

// The build replaces this line with the version and the files of its build.
const BUILD = { version: '', files: [] };

/** How long a page request waits for the network before the cached page is shown. */
const NETWORK_TIMEOUT_MS = 4000;

/** The folder the page is served from, e.g. https://example.org/planar/. */
const SCOPE = new URL('./', self.location.href).href;
const CACHE_PREFIX = `planar ${SCOPE} `;
const CACHE = CACHE_PREFIX + BUILD.version;

/** The URL a file is cached under: no query or fragment, and the page as its folder. */
function cacheKey(url) {
  const key = new URL(url);
  key.search = '';
  key.hash = '';
  return key.href === `${SCOPE}index.html` ? SCOPE : key.href;
}

const PRECACHED = new Set(BUILD.files.map(({ path }) => cacheKey(new URL(path, SCOPE))));

/**
 * A cacheable copy of a response: a redirected response (a server that sends
 * index.html on to its folder) may not answer a navigation, so it is rebuilt.
 */
async function storable(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all([...PRECACHED].map(async (url) => {
    const response = await fetch(url, { cache: 'reload' });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    await cache.put(url, await storable(response));
  }));
}

async function dropOldCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
}

async function fromCache(key) {
  const cache = await caches.open(CACHE);
  return cache.match(key);
}

/**
 * The network's answer if it comes in time and is not a server error (a
 * redirect or a 404 is the server's word), else the cached page, else
 * whatever the network gives.
 */
async function pageFromNetwork(request) {
  const network = fetch(request);
  network.catch(() => {}); // a failure after the cached page was shown is no error
  let timer = 0;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([network, late]);
    if (response && response.status < 500) return response;
  } catch {
    // Offline: the cached page below.
  } finally {
    clearTimeout(timer);
  }
  return (await fromCache(SCOPE)) ?? network;
}

async function fileFromCache(request, key) {
  return (await fromCache(key)) ?? fetch(request);
}

/** This worker's global scope, with the service worker's events and methods. */
const worker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

worker.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(dropOldCaches().then(() => worker.clients.claim()));
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  const key = cacheKey(request.url);
  if (request.mode === 'navigate') {
    if (key === SCOPE) event.respondWith(pageFromNetwork(request));
  } else if (PRECACHED.has(key)) {
    event.respondWith(fileFromCache(request, key));
  }
});
