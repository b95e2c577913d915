// PSC Sync in the browser: boots the sync engine, wires the header, toolbar
// and notices, and routes between screens by the URL hash:
//   #/                  choose a neighborhood (or: none on this device yet)
//   #/n/<slug>          the neighborhood's priorities
//   #/n/<slug>/new      add a priority
//   #/p/<id>            edit a priority (and resolve its conflicts)
import { setLanguage, t } from './i18n.js';
import { Sync } from './sync.js';
import { HomeView } from './views/home.js';
import { Notices } from './views/notices.js';
import { PriorityFormView } from './views/priority-form.js';
import { PriorityListView } from './views/priority-list.js';
import { renderStatus } from './views/status.js';
import { SignInView } from './views/sign-in.js';
import { Toolbar } from './views/toolbar.js';

const main = document.getElementById('main');
const statusBox = document.getElementById('sync-status');
let sync;
let view = null;
let toolbar;
let notices;
let refreshTimer = null;

function parseRoute(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'n' && parts[1]) return { name: parts[2] === 'new' ? 'new' : 'list', neighborhood: parts[1] };
  if (parts[0] === 'p' && parts[1]) return { name: 'edit', id: parts[1] };
  return { name: 'home' };
}

function show(next) {
  view?.unmount();
  view = next;
  view.mount(main);
}

let sessionEnded = false;  // the server ended the last session (show why)

function route() {
  if (!sync.session) {
    show(new SignInView(sync, { expired: sessionEnded }));
    return;
  }
  const r = parseRoute(location.hash);
  const formOptions = {
    onSaved: (text, neighborhoodId, toastOptions = {}) => {
      notices.showToast(text, toastOptions);
      location.hash = `#/n/${encodeURIComponent(neighborhoodId)}`;
    },
    onResolved: (text) => notices.showToast(text),
    onError: (text) => notices.showError(text),
  };
  if (r.name === 'list' || r.name === 'new') {
    const neighborhood = sync.record('neighborhood', r.neighborhood);
    if (!neighborhood || neighborhood.deleted) {
      show(new HomeView(sync, { unknownNeighborhood: sync.list('neighborhood').length ? r.neighborhood : '' }));
      return;
    }
    if (sync.prefs.neighborhood !== r.neighborhood) {
      sync.setPref('neighborhood', r.neighborhood);
      toolbar.update();
    }
    show(r.name === 'list' ? new PriorityListView(sync, neighborhood)
      : new PriorityFormView(sync, { neighborhood, ...formOptions }));
  } else if (r.name === 'edit') {
    show(new PriorityFormView(sync, { id: r.id, ...formOptions }));
  } else if (sync.prefs.neighborhood && sync.record('neighborhood', sync.prefs.neighborhood)) {
    location.replace(`#/n/${encodeURIComponent(sync.prefs.neighborhood)}`);
  } else {
    show(new HomeView(sync));
  }
  window.scrollTo(0, 0);
}

function refresh() {
  clearTimeout(refreshTimer);
  refreshTimer = null;
  toolbar.update();
  if (view instanceof HomeView) route();  // e.g. the first neighborhoods arrived
  else view?.update();
}

function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(refresh, sync.status.catchUp ? 750 : 60);
}

function renderChrome() {
  toolbar.render();
  notices.render();
  renderStatus(statusBox, sync.status);
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('sw.js');
  } catch (error) {
    console.warn('PSC Sync: service worker not registered', error);
  }
}

async function boot() {
  const bootMessage = document.getElementById('boot-message');
  sync = new Sync();
  try {
    await sync.start({
      onProgress: (n) => { if (n >= 2000) bootMessage.textContent = t('app.replaying', { n: n.toLocaleString() }); },
    });
  } catch (error) {
    bootMessage.textContent = t('app.bootFailed', { message: error?.message ?? String(error) });
    bootMessage.classList.add('notice', 'notice-error');
    throw error;
  }
  setLanguage(sync.prefs.lang || (navigator.language?.startsWith('es') ? 'es' : 'en'));

  toolbar = new Toolbar(document.getElementById('toolbar'), sync, {
    onNeighborhood: (slug) => { location.hash = `#/n/${encodeURIComponent(slug)}`; },
    onSignOut: () => sync.signOut(),
    onLanguage: async (code) => {
      setLanguage(code);
      await sync.setPref('lang', code);
      renderChrome();
      view?.render();
    },
  });
  notices = new Notices(document.getElementById('notices'), sync);

  sync.addEventListener('status', () => {
    renderStatus(statusBox, sync.status);
    notices.onStatus(sync.status);
  });
  sync.addEventListener('data', (event) => {
    // The user's own saves show at once; pages from the server are coalesced
    // (a long catch-up would otherwise redraw a big list for every page).
    if (event.detail.remote) scheduleRefresh();
    else refresh();
  });
  sync.addEventListener('rejected', () => notices.render());
  sync.addEventListener('session', () => {
    sessionEnded = !sync.session && sync.status.error?.code === 'unauthorized';
    renderChrome();
    route();
  });
  sync.addEventListener('notice', (e) => notices.showError(t('error.server', { message: e.detail.text })));
  window.addEventListener('hashchange', route);
  window.addEventListener('online', () => { if (view instanceof HomeView) view.update(); });
  window.addEventListener('offline', () => { if (view instanceof HomeView) view.update(); });
  // The retry countdown and "last synced" wording age; refresh them.
  setInterval(() => renderStatus(statusBox, sync.status), 1000);

  renderChrome();
  route();
  document.body.classList.add('ready');
  registerServiceWorker();
}

boot();
