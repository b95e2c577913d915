// PSC Sync's service worker: keeps the app shell on the device so the app
// opens with no network. Cache-first for the shell, in a versioned cache;
// VERSION is replaced at build time by a hash of the shell files
// (client-wasm/cmake/stamp_service_worker.cmake), so devices fetch a new shell
// and drop the old one. It never touches /sync (the WebSocket) or /health,
// and never caches data: records live in IndexedDB.
const VERSION = 'v2';
const CACHE = `psc-shell-${VERSION}`;

// Relative to this file's location (the app's root).
const SHELL = [
  './',
  'index.html',
  'app.css',
  'manifest.webmanifest',
  'icon.svg',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'icons/icon-maskable-512.png',
  'icons/apple-touch-icon.png',
  'icons/icon-maskable.svg',
  'psc_core.mjs',
  'psc_core.wasm',
  'js/access.js',
  'js/app.js',
  'js/core.js',
  'js/handoff-file.js',
  'js/handoffs.js',
  'js/i18n.js',
  'js/identity.js',
  'js/kiosk-lock.js',
  'js/messages/devices.js',
  'js/messages/dashboard.js',
  'js/messages/kiosk.js',
  'js/messages/liaison.js',
  'js/messages/meeting.js',
  'js/opening.js',
  'js/route-guard.js',
  'js/storage.js',
  'js/sync.js',
  'js/sync/connection.js',
  'js/sync/http.js',
  'js/sync/random-hex.js',
  'js/sync/replica-host.js',
  'js/sync/sessions.js',
  'js/sync/tabs.js',
  'js/sync/touched.js',
  'js/time.js',
  'js/transport.js',
  'js/views/account.js',
  'js/views/accounts.js',
  'js/views/admin-tabs.js',
  'js/views/commitment-form.js',
  'js/views/conflict.js',
  'js/views/conflicts-queue.js',
  'js/views/department.js',
  'js/views/devices.js',
  'js/views/dashboard/category-chart.js',
  'js/views/dashboard/dashboard.js',
  'js/views/dashboard/data.js',
  'js/views/dashboard/filters.js',
  'js/views/dashboard/nav.js',
  'js/views/dashboard/not-for-role.js',
  'js/views/dashboard/report-back.js',
  'js/views/dashboard/rollup.js',
  'js/views/dashboard/scorecards.js',
  'js/views/dom.js',
  'js/views/field-editor.js',
  'js/views/format.js',
  'js/views/handoff.js',
  'js/views/history.js',
  'js/views/home.js',
  'js/views/kiosk-start.js',
  'js/views/kiosk.js',
  'js/views/meeting-list.js',
  'js/views/meeting/actions.js',
  'js/views/meeting/agenda.js',
  'js/views/meeting/details.js',
  'js/views/meeting/kiosk-setup.js',
  'js/views/meeting/meeting-form.js',
  'js/views/meeting/meeting-view.js',
  'js/views/meeting/minutes.js',
  'js/views/meeting/new-meeting.js',
  'js/views/meeting/priorities.js',
  'js/views/meeting/ranking.js',
  'js/views/meeting/signin.js',
  'js/views/meeting/summary.js',
  'js/views/meeting/voting.js',
  'js/views/nav-links.js',
  'js/views/neighborhood-tabs.js',
  'js/views/notices.js',
  'js/views/password-form.js',
  'js/views/priority-commitments.js',
  'js/views/export-menu.js',
  'js/views/field-limit.js',
  'js/views/priority-form.js',
  'js/views/priority-list.js',
  'js/views/sign-in.js',
  'js/views/status.js',
  'js/views/toolbar.js',
  'js/views/ui.js',
];

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
