// PSC Sync's service worker: keeps the app shell on the device so the app
// opens with no network. Cache-first for the shell, in a versioned cache;
// VERSION and the SHELL list are written at build time (a hash of the shell
// files, and their names: client-wasm/cmake/stamp_service_worker.cmake), so
// devices fetch a new shell and drop the old one. It never touches /sync (the WebSocket) or /health,
// and never caches data: records live in IndexedDB.
const VERSION = 'v2';
const CACHE = `psc-shell-${VERSION}`;

// Relative to this file's location (the app's root): the page, and every
// file staged beside it but this one and source maps, written in by the
// build (client-wasm/cmake/stamp_service_worker.cmake), so a new module can
// never be left out of the offline shell.
const SHELL = ['./', /* @shell-files */];

const scopeUrl = new URL(self.registration.scope);
const shellUrls = new Set(SHELL.map((path) => new URL(path, scopeUrl).href));
const NEVER = ['sync', 'health'].map((path) => new URL(path, scopeUrl).pathname);
const APP_PAGES = ['./', 'index.html'].map((path) => new URL(path, scopeUrl).pathname);

// The shell's files but the page itself, for the static routes below.
const ROUTED = SHELL.filter((path) => path !== './' && path !== 'index.html');

self.addEventListener('install', (event) => {
  // Static routes (Chromium 123+): the browser takes these files straight
  // from this version's cache, without running this worker's fetch handler
  // for each of the app's ~70 files on every opening. Only exact URLs with no
  // query; anything else, and browsers without addRoutes, use the fetch handler.
  if (event.addRoutes) {
    const condition = { or: ROUTED.map((path) => ({ urlPattern: { pathname: new URL(path, scopeUrl).pathname, search: '' } })) };
    event.waitUntil(event.addRoutes({ condition, source: { cacheName: CACHE } })
      .catch((error) => console.warn('PSC Sync: static routes not added', error)));
  }
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // cache: 'reload' skips the HTTP cache, so the shell is the server's current one.
    await cache.addAll(SHELL.map((path) => new Request(new URL(path, scopeUrl), { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('psc-shell-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scopeUrl.origin) return;
  if (NEVER.includes(url.pathname)) return;

  if (request.mode === 'navigate' && APP_PAGES.includes(url.pathname)) {
    // The app is one page; the hash picks the screen.
    event.respondWith(fromCacheFirst(new URL('index.html', scopeUrl).href, request));
    return;
  }
  const key = url.origin + url.pathname;
  if (shellUrls.has(key)) event.respondWith(fromCacheFirst(key, request));
});

async function fromCacheFirst(key, request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(key, response.clone());
  return response;
}
