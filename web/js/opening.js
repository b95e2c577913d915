// The first work of the page, started before the rest of the app has loaded:
// index.html runs this module as soon as it and storage.js are fetched (async,
// ahead of app.js; sync.js imports it, so it runs once). At once and in
// parallel it opens IndexedDB and reads everything opening needs in one
// transaction (storage.js readOpening), fetches and compiles the WebAssembly
// core and loads its JS glue (core.js); then it decodes the stored replica
// snapshot, while the browser is still fetching the app's other modules.
//
// It decides nothing: Sync.start and Sync.openReplica (sync.js) check the
// decoded snapshot against the stored changes exactly as before and replay
// every change when it does not account for them.
//
// The performance marks (psc:*) here, in app.js and in the priority list say
// where the opening's time goes (tests/bench/browser_open.mjs reports them).
import { Storage } from './storage.js';

function decodeSnapshot(core, state) {
  const { meta, snapshot, recent } = state;
  const deviceId = meta.get('device_id');
  if (!deviceId || !snapshot || recent.length > snapshot.applied) return null;
  const replica = core.newReplica(deviceId, meta.get('session')?.account ?? '');
  replica.setClockOffset(meta.get('clock_offset') ?? 0);
  try {
    replica.loadSnapshot(snapshot.bytes);
    return { replica, error: null };
  } catch (error) {
    replica.dispose();
    return { replica: null, error };
  }
}

async function open() {
  performance.mark('psc:opening');
  const mark = (name) => (value) => { performance.mark(name); return value; };
  const storage = Storage.open();
  const state = storage.then((s) => s.readOpening()).then(mark('psc:stored'));
  // The core: compiling starts now, while its JS glue (core.js, psc_core.mjs) loads.
  const compiled = WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(fetch(new URL('../psc_core.wasm', import.meta.url), { credentials: 'same-origin' }))
    : null;
  compiled?.catch(() => {});  // loadCore then fetches it itself
  const core = import('./core.js').then(({ loadCore }) => loadCore({ compiled })).then(mark('psc:core'));
  // Now the rest of the app's modules (index.html #app-modules).
  const modules = document.getElementById('app-modules');
  if (modules) document.head.append(modules.content);
  const [opened, read, loaded] = await Promise.all([storage, state, core]);
  // {replica, error} when there was a snapshot to decode, else null.
  const decoded = decodeSnapshot(loaded, read);
  performance.mark('psc:decoded');
  read.snapshot = read.snapshot ? { applied: read.snapshot.applied, at: read.snapshot.at } : undefined;  // free the bytes
  return { storage: opened, core: loaded, state: read, decoded };
}

let early = open();
early.catch(() => {});  // reported by Sync.start, which awaits it

// The opening started with the page, once; a later call starts a new one.
export function takeOpening() {
  const taken = early ?? open();
  early = null;
  return taken;
}
