// PSC Sync in the browser: boots the sync engine, wires the header, toolbar
// and notices, and routes between screens by the URL hash:
//   #/                  choose a neighborhood (or: none on this device yet)
//   #/n/<slug>          the neighborhood's priorities
//   #/n/<slug>/new      add a priority
//   #/p/<id>            edit a priority (and resolve its conflicts)
//   #/p/<id>/m/<mid>    the same, from a meeting (returns to it)
//   #/n/<slug>/meetings       the neighborhood's meetings
//   #/n/<slug>/meetings/new   start a meeting
//   #/n/<slug>/organizations  its organizations and their membership (views/organizations.js)
//   #/leaders[/new]           the city-wide leaders' meetings; plan one (citywide.js)
//   #/m/<id>[/<section>]      capture a meeting (views/meeting/meeting-view.js)
//   #/handoff           export / import offline hand-off files (views/handoff.js)
//   #/devices           the device list, coordinators only (views/devices.js)
//   #/accounts          the accounts: create, disable, reset; coordinators only (views/accounts.js)
//   #/lists             departments and categories, coordinators only (views/lists.js)
//   #/account           the signed-in account: change its password (views/account.js)
//   #/n/<slug>/report-back    the next meeting's report-back agenda (printable)
//   #/dashboard[?filters]     coordinator's city-wide dashboard (views/dashboard/)
//   #/rollup[?from&to]        the leaders' monthly roll-up (printable)
//   (signed out)        the sign-in screen (views/sign-in.js), whatever the hash
//   #/conflicts         the conflicts queue (coordinators, organizers)
//   #/department[/<slug>]  a department's work list: a liaison's home
//                       (route-guard.js keeps each role to its screens)
//   #/kiosk             resident kiosk; while kiosk mode is on (a stored
//                       device setting) every route leads here
//   (kiosk account)     a tablet signed in with a kiosk code picks its
//                       meeting and PIN (views/kiosk-start.js), then kiosk
import { deviceLabel, useDeviceNames } from './device-names.js';
import { language, setLanguage, t } from './i18n.js';
import { Sync } from './sync.js';
import { AccountView } from './views/account.js';
import { AccountsView } from './views/accounts.js';
import { DevicesView } from './views/devices.js';
import { ListsView } from './views/lists.js';
import { HandoffView, refusalText } from './views/handoff.js';
import { HomeView } from './views/home.js';
import { KioskStartView } from './views/kiosk-start.js';
import { KioskView } from './views/kiosk.js';
import { MeetingListView } from './views/meeting-list.js';
import { MeetingView } from './views/meeting/meeting-view.js';
import { NewMeetingView } from './views/meeting/new-meeting.js';
import { OrganizationsView } from './views/organizations.js';
import { Notices } from './views/notices.js';
import { PriorityFormView } from './views/priority-form.js';
import { PriorityListView } from './views/priority-list.js';
import { renderStatus } from './views/status.js';
import { HistoryView } from './views/history.js';
import { DashboardView } from './views/dashboard/dashboard.js';
import { ReportBackView } from './views/dashboard/report-back.js';
import { RollupView } from './views/dashboard/rollup.js';
import { SignInView } from './views/sign-in.js';
import { Toolbar } from './views/toolbar.js';
// Conflicts queue and department liaison screens.
import { cityScope, isCitywide } from './citywide.js';
import { guardRoute } from './route-guard.js';
import { LISTS, refreshListedNames } from './reference-lists.js';
import { ConflictsQueueView } from './views/conflicts-queue.js';
import { DepartmentView } from './views/department.js';

const main = document.getElementById('main');
const statusBox = document.getElementById('sync-status');
let sync;
let view = null;
let toolbar;
let notices;
let refreshTimer = null;
let organizerLanguage = '';

function defaultLanguage() { return navigator.language?.startsWith('es') ? 'es' : 'en'; }

function parseRoute(hash) {
  // A query after the path (#/dashboard?category=youth) belongs to the screen.
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'dashboard' || parts[0] === 'rollup') return { name: parts[0] };
  if (parts[0] === 'n' && parts[1]) {
    if (parts[2] === 'report-back') return { name: 'report-back', neighborhood: parts[1] };
    if (parts[2] === 'organizations') return { name: 'organizations', neighborhood: parts[1] };
    if (parts[2] === 'meetings') return { name: parts[3] === 'new' ? 'new-meeting' : 'meetings', neighborhood: parts[1] };
    return { name: parts[2] === 'new' ? 'new' : 'list', neighborhood: parts[1] };
  }
  if (parts[0] === 'leaders') return { name: parts[1] === 'new' ? 'new-leaders-meeting' : 'leaders' };
  if (parts[0] === 'p' && parts[1]) return { name: 'edit', id: parts[1], meeting: parts[2] === 'm' ? parts[3] : '' };
  if (parts[0] === 'm' && parts[1]) return { name: 'meeting', id: parts[1], section: parts[2] ?? '' };
  if (parts[0] === 'h' && parts[1] && parts[2]) return { name: 'history', type: parts[1], id: parts[2] };
  if (parts[0] === 'handoff') return { name: 'handoff' };
  if (parts[0] === 'devices') return { name: 'devices' };
  if (parts[0] === 'accounts') return { name: 'accounts' };
  if (parts[0] === 'lists') return { name: 'lists' };
  if (parts[0] === 'account') return { name: 'account' };
  if (parts[0] === 'conflicts') return { name: 'conflicts' };
  if (parts[0] === 'department') return { name: 'department', department: parts[1] ?? '' };
  return { name: 'home' };
}

// What the screens may ask of the app.
const app = {
  toast: (text, options) => notices.showToast(text, options),
  error: (text) => notices.showError(text),
  go: (hash) => { location.hash = hash; },
  // Kiosk mode: the tablet signs in as a kiosk of the meeting's neighborhood
  // (a token the server limits to concerns, dots and sign-ins, and sends no
  // attendance) while the organizer's session waits aside. With no
  // connection it starts anyway, recording under the organizer's account.
  // Rejects with the server's refusal (nothing changes then).
  enterKiosk: async (settings) => {
    let kioskAccount = sync.session?.role === 'kiosk';
    if (!kioskAccount) {
      try {
        await sync.startKioskSession(settings.neighborhood);
        kioskAccount = true;
      } catch (error) {
        if (error.code !== 'offline') throw error;
      }
    }
    await sync.setPref('kiosk', { ...settings, kioskAccount });  // the 'pref' event routes
  },
  updateKiosk: async (patch) => {
    if (sync.prefs.kiosk) await sync.setPref('kiosk', { ...sync.prefs.kiosk, ...patch });
  },
  exitKiosk: async () => {
    const meeting = sync.prefs.kiosk?.meeting;
    organizerLanguage = sync.prefs.kiosk?.organizerLang ?? '';
    history.replaceState(null, '', meeting ? `#/m/${encodeURIComponent(meeting)}/summary` : '#/');
    await sync.endKioskSession();  // the organizer's session again (or, on a kiosk-only tablet, signed out)
    await sync.setPref('kiosk', null);
  },
  // The kiosk's language switch: for this resident only, not stored.
  setLanguage: (code) => {
    setLanguage(code);
    renderChrome();
    view?.render();
  },
};

// Each screen gets an element of its own inside <main>: a screen that draws
// after an await (the hand-off and device screens read storage or the
// server) and finishes after the user has moved on then draws into its own
// detached element, not over the screen that replaced it.
function show(next) {
  view?.unmount();
  view = next;
  const screen = document.createElement('div');
  screen.className = 'screen';
  main.replaceChildren(screen);
  view.mount(screen);
}

// Where #/ leads: an organizer works with one neighborhood, so their own
// (not the grid of all 17, most of which the server does not share with
// them); anyone else, the neighborhood last chosen on this device.
function landing() {
  const own = sync.session?.role === 'organizer' ? sync.session.neighborhood : '';
  if (own && sync.record('neighborhood', own)) return own;
  if (sync.prefs.neighborhood && sync.record('neighborhood', sync.prefs.neighborhood)) return sync.prefs.neighborhood;
  return '';
}

let sessionEnded = false;  // the server ended the last session (show why)

function route() {
  // The lists' names as the replica holds them (also right after a reload,
  // when no change has arrived yet to refresh them).
  refreshListedNames(sync);
  document.body.classList.toggle('kiosk', Boolean(sync.prefs.kiosk));
  if (sync.prefs.kiosk) {
    if (location.hash !== '#/kiosk') history.replaceState(null, '', '#/kiosk');
    if (!(view instanceof KioskView)) {
      setLanguage(sync.prefs.kiosk.lang || language());
      renderChrome();
      show(new KioskView(sync, app));
    }
    return;
  }
  if (view instanceof KioskView) {
    // Back to the organizer's language, not the last resident's.
    setLanguage(sync.prefs.lang || organizerLanguage || defaultLanguage());
    renderChrome();
  }
  if (!sync.session) {
    show(new SignInView(sync, { expired: sessionEnded }));
    return;
  }
  if (sync.session.role === 'kiosk') {
    // A tablet signed in with a kiosk code: it only ever shows the kiosk.
    if (!(view instanceof KioskStartView)) show(new KioskStartView(sync, app));
    return;
  }
  let r = parseRoute(location.hash);
  if (['devices', 'accounts', 'lists'].includes(r.name) && sync.session.role !== 'coordinator') r = { name: 'home' };  // the server would refuse too
  const formOptions = {
    onSaved: (text, href, toastOptions = {}) => {
      notices.showToast(text, { ...toastOptions, carry: location.hash !== href });
      location.hash = href;
    },
    onResolved: (text) => notices.showToast(text),
    onError: (text) => notices.showError(text),
  };
  // ---- screens by role: conflicts queue, department list ----
  const allowed = guardRoute(sync, r);
  if (allowed) {
    location.replace(allowed);
    return;
  }
  if (r.name === 'conflicts') {
    show(new ConflictsQueueView(sync, app));
    return;
  }
  if (r.name === 'department') {
    show(new DepartmentView(sync, r.department || sync.session.department || 'police', app));
    return;
  }
  // ---- end of screens by role ----
  if (r.name === 'account') {
    show(new AccountView(sync, { toast: (text) => notices.showToast(text) }));
    window.scrollTo(0, 0);
    return;
  }
  if (r.name === 'history') {
    show(new HistoryView(sync, r.type, r.id));
    return;
  }
  if (r.name === 'lists') {
    show(new ListsView(sync, app));
    window.scrollTo(0, 0);
    return;
  }
  if (r.name === 'handoff' || r.name === 'devices' || r.name === 'accounts') {
    show(r.name === 'handoff' ? new HandoffView(sync) : r.name === 'devices' ? new DevicesView(sync) : new AccountsView(sync));
    window.scrollTo(0, 0);
    return;
  }
  if (r.name === 'dashboard' || r.name === 'rollup') {
    show(r.name === 'dashboard' ? new DashboardView(sync) : new RollupView(sync));
    window.scrollTo(0, 0);
    return;
  }
  if (r.name === 'leaders' || r.name === 'new-leaders-meeting') {
    // The city stands in for the neighborhood; the device's chosen
    // neighborhood stays as it was.
    show(r.name === 'leaders' ? new MeetingListView(sync, cityScope(), app) : new NewMeetingView(sync, cityScope(), app));
    window.scrollTo(0, 0);
    return;
  }
  if (['list', 'new', 'meetings', 'new-meeting', 'report-back', 'organizations'].includes(r.name)) {
    const neighborhood = sync.record('neighborhood', r.neighborhood);
    if (!neighborhood || neighborhood.deleted) {
      show(new HomeView(sync, { unknownNeighborhood: sync.list('neighborhood').length ? r.neighborhood : '' }));
      return;
    }
    if (sync.prefs.neighborhood !== r.neighborhood) {
      sync.setPref('neighborhood', r.neighborhood);
      toolbar.update();
    }
    if (r.name === 'meetings') show(new MeetingListView(sync, neighborhood, app));
    else if (r.name === 'organizations') show(new OrganizationsView(sync, neighborhood, app));
    else if (r.name === 'new-meeting') show(new NewMeetingView(sync, neighborhood, app));
    else if (r.name === 'list') show(new PriorityListView(sync, neighborhood));
    else if (r.name === 'report-back') {
      show(new ReportBackView(sync, neighborhood, { onSaved: (text) => notices.showToast(text), onError: formOptions.onError }));
    }
    else show(new PriorityFormView(sync, { neighborhood, ...formOptions }));
  } else if (r.name === 'edit') {
    const meeting = r.meeting ? sync.live('meeting', r.meeting) : null;
    const back = meeting ? { href: `#/m/${encodeURIComponent(meeting.id)}/priorities`, label: meeting.fields.title } : null;
    show(new PriorityFormView(sync, { id: r.id, back, ...formOptions }));
  } else if (r.name === 'meeting') {
    const meeting = sync.live('meeting', r.id);
    if (meeting && !isCitywide(meeting) && sync.prefs.neighborhood !== meeting.fields.neighborhood) {
      sync.setPref('neighborhood', meeting.fields.neighborhood);
      toolbar.update();
    }
    show(new MeetingView(sync, r.id, r.section, app));
  } else if (landing()) {
    location.replace(`#/n/${encodeURIComponent(landing())}`);
  } else {
    show(new HomeView(sync));
  }
  window.scrollTo(0, 0);
}

// What changed since the last refresh: type -> Set of record ids, from the
// 'data' events; null when an event could not say (anything may have).
let changedSince = new Map();
let refreshCost = 0;  // ms the last refresh took

function noteChanged(changed) {
  if (!changedSince) return;
  if (!changed) {
    changedSince = null;
    return;
  }
  for (const [type, ids] of changed) {
    const known = changedSince.get(type);
    if (known) for (const id of ids) known.add(id);
    else changedSince.set(type, new Set(ids));
  }
}

// Redraws what changed: the toolbar, and the open screen (told which
// records changed; the priority list redraws only their cards).
function refresh() {
  clearTimeout(refreshTimer);
  refreshTimer = null;
  const changed = changedSince;
  changedSince = new Map();
  const started = performance.now();
  if (!changed || LISTS.some((type) => changed.has(type))) refreshListedNames(sync);
  toolbar.update({ changed, catchingUp: Boolean(sync.status.catchUp) });
  if (view instanceof HomeView) route();  // e.g. the first neighborhoods arrived
  else view?.update({ changed });
  refreshCost = performance.now() - started;
}

// Pages from the server are coalesced: at most one refresh per REFRESH_MS
// (60 ms when live, 250 ms during a catch-up, when pages come every few
// tens of ms), and never more than REFRESH_SHARE of the main thread: after a
// refresh that took d ms, the next waits at least d * (1 / REFRESH_SHARE - 1),
// so a slow screen cannot starve the catch-up that feeds it.
const REFRESH_MS = { live: 60, catchUp: 250 };
const REFRESH_SHARE = 0.2;

function scheduleRefresh() {
  if (refreshTimer) return;
  const interval = sync.status.catchUp ? REFRESH_MS.catchUp : REFRESH_MS.live;
  refreshTimer = setTimeout(refresh, Math.max(interval, refreshCost * (1 / REFRESH_SHARE - 1)));
}

const STATUS_CATCH_UP_MS = 250;
let statusTimer = null;
let catchingUp = false;

function renderStatusNow() {
  clearTimeout(statusTimer);
  statusTimer = null;
  renderStatus(statusBox, sync.status);
}

function scheduleStatus() {
  if (!statusTimer) statusTimer = setTimeout(renderStatusNow, STATUS_CATCH_UP_MS);
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
  performance.mark('psc:boot');  // the app's modules are loaded (see opening.js for the marks before)
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
  performance.mark('psc:replica');
  useDeviceNames(sync.prefs.deviceNames);
  setLanguage(sync.prefs.kiosk?.lang || sync.prefs.lang || defaultLanguage());

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
    // During a catch-up the status changes with every page (the count
    // received): shown when it starts, then at most every STATUS_CATCH_UP_MS,
    // not once per page, because every change on screen costs a frame, and
    // the frames are paid by the catch-up.
    if (sync.status.catchUp && catchingUp) scheduleStatus();
    else renderStatusNow();
    notices.onStatus(sync.status);
    // A catch-up just ended: the screen may draw what it held back (the list's cards).
    if (catchingUp && !sync.status.catchUp) scheduleRefresh();
    catchingUp = Boolean(sync.status.catchUp);
  });
  sync.addEventListener('data', (event) => {
    // The user's own saves show at once; pages from the server are coalesced
    // (a long catch-up would otherwise redraw a big list for every page).
    noteChanged(event.detail.changed ?? null);
    if (event.detail.remote) scheduleRefresh();
    else refresh();
  });
  sync.addEventListener('rejected', () => notices.render());
  // What the server answered for imported hand-off files.
  sync.addEventListener('handoff', (event) => {
    for (const f of event.detail.answered) {
      if (f.state === 'refused') {
        notices.showError(t('handoff.notice.refused', { device: deviceLabel(f.device), message: refusalText(f.refusal) }));
      } else {
        notices.showToast(t('handoff.notice.uploaded', {
          device: deviceLabel(f.device), fresh: f.result.accepted - f.result.already, already: f.result.already,
        }));
      }
    }
  });
  sync.addEventListener('session', () => {
    sessionEnded = !sync.session && sync.status.error?.code === 'unauthorized';
    renderChrome();
    // Signed in or out: another screen. Otherwise (the server confirmed or
    // renamed the account) only the toolbar changes; a form keeps its typing.
    if (!sync.session || view instanceof SignInView) route();
  });
  // Kiosk mode switched on or off, in this tab or another one.
  sync.addEventListener('pref', (event) => {
    if (event.detail.key === 'kiosk') route();
    if (event.detail.key === 'deviceNames') {
      useDeviceNames(sync.prefs.deviceNames);
      noteChanged(null);  // any byline may name a device
      refresh();
    }
  });
  sync.addEventListener('notice', (e) => notices.showError(t('error.server', { message: e.detail.text })));
  window.addEventListener('hashchange', () => {
    notices.onNavigate();  // a confirmation is about the screen it was shown on
    route();
  });
  window.addEventListener('online', () => { if (view instanceof HomeView) view.update(); });
  window.addEventListener('offline', () => { if (view instanceof HomeView) view.update(); });
  // The retry countdown and "last synced" wording age; refresh them.
  setInterval(() => renderStatus(statusBox, sync.status), 1000);

  renderChrome();
  route();
  document.body.classList.add('ready');
  performance.mark('psc:ready');
  registerServiceWorker();
}

boot();
