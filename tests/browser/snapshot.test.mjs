// Opening from a replica snapshot (web/js/sync.js openReplica, storage.js):
// the device opens from its stored snapshot plus the changes stored since,
// and falls back to replaying every stored change when the snapshot is
// damaged or does not account for exactly what is stored — never showing
// less than what the device holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { card, chooseNeighborhood, openDevice, status, useServerAndBrowser, waitForServiceWorker } from './support.mjs';

let server;
let browser;

useServerAndBrowser({ started: (s, b) => { server = s; browser = b; } });

async function addPriority(page, title) {
  await page.getByRole('link', { name: 'Add a priority' }).click();
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Category/).selectOption({ label: 'Youth' });
  await page.getByRole('button', { name: 'Save' }).click();
  await card(page, title).waitFor();
}

// Runs `fn(db)` on the page's IndexedDB ('psc-sync') and resolves with what it
// resolves with; the database is closed afterwards so the app can reopen it.
function withDatabase(page, fn) {
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('psc-sync');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      Promise.resolve((${fn})(db)).then((value) => { db.close(); resolve(value); }, reject);
    };
  })`);
}

// {applied, bytes, recent, stored}: the snapshot's applied count and size, the
// `recent` entries, and the number of stored changes.
function snapshotState(page) {
  return withDatabase(page, (db) => new Promise((resolve) => {
    const tx = db.transaction(['snapshot', 'recent', 'changes']);
    const snapshot = tx.objectStore('snapshot').get('replica');
    const recent = tx.objectStore('recent').count();
    const stored = tx.objectStore('changes').count();
    tx.oncomplete = () => resolve({
      applied: snapshot.result?.applied ?? 0, bytes: snapshot.result?.bytes.length ?? 0,
      recent: recent.result, stored: stored.result,
    });
  }));
}

async function reloadAndWait(page) {
  const warnings = [];
  const onConsole = (message) => { if (message.type() === 'warning') warnings.push(message.text()); };
  page.on('console', onConsole);
  await page.reload();
  await page.waitForSelector('body.ready');
  page.off('console', onConsole);
  return warnings;
}

test('a device opens from its snapshot plus later changes, and replays everything when the snapshot is unusable', async () => {
  const a = await openDevice(browser, server, 'A');
  await status(a.page).lastSync.filter({ hasText: 'Last synced' }).waitFor();
  await waitForServiceWorker(a.page);
  await chooseNeighborhood(a.page, 'South End');
  await addPriority(a.page, 'Broken hydrant on Franklin Ave');
  await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();

  // Opening without a snapshot replays the changes and then writes one.
  assert.deepEqual(await reloadAndWait(a.page), []);
  let state;
  for (let i = 0; i < 100; i += 1) {
    state = await snapshotState(a.page);
    if (state.applied > 0 && state.recent === 0) break;
    await a.page.waitForTimeout(100);
  }
  assert.ok(state.bytes > 0, `a snapshot was written: ${JSON.stringify(state)}`);
  assert.equal(state.applied, state.stored, 'the snapshot holds every stored change');
  assert.equal(state.recent, 0);

  // Offline, a new priority is stored after the snapshot: it is replayed on top.
  await a.context.setOffline(true);
  await status(a.page).connection.filter({ hasText: 'Offline' }).waitFor();
  await addPriority(a.page, 'Graffiti on the underpass');
  state = await snapshotState(a.page);
  assert.ok(state.recent >= 1, 'the new changes are listed as stored since the snapshot');
  assert.ok(state.applied < state.stored, 'the snapshot does not hold them');
  assert.deepEqual(await reloadAndWait(a.page), [], 'opened from the snapshot, no fallback');
  await card(a.page, 'Broken hydrant on Franklin Ave').waitFor();
  await card(a.page, 'Graffiti on the underpass').waitFor();
  assert.equal(await status(a.page).outbox.innerText(), '4 changes waiting');

  // A damaged snapshot: the device says so in the console and replays every change.
  await withDatabase(a.page, (db) => new Promise((resolve) => {
    const tx = db.transaction('snapshot', 'readwrite');
    const store = tx.objectStore('snapshot');
    const get = store.get('replica');
    get.onsuccess = () => {
      const bytes = get.result.bytes.slice();
      for (let i = 8; i < bytes.length; i += 7) bytes[i] ^= 0x5a;
      store.put({ ...get.result, bytes }, 'replica');
    };
    tx.oncomplete = () => resolve();
  }));
  let warnings = await reloadAndWait(a.page);
  assert.ok(warnings.some((w) => /snapshot/.test(w)), `a fallback warning; saw ${JSON.stringify(warnings)}`);
  await card(a.page, 'Broken hydrant on Franklin Ave').waitFor();
  await card(a.page, 'Graffiti on the underpass').waitFor();

  // A snapshot that does not account for what is stored (here: a stored change
  // the `recent` list lost) is not trusted either.
  for (let i = 0; i < 100; i += 1) {
    state = await snapshotState(a.page);
    if (state.applied === state.stored && state.recent === 0) break;
    await a.page.waitForTimeout(100);
  }
  assert.equal(state.applied, state.stored, 'a fresh snapshot after the replay');
  await addPriority(a.page, 'Abandoned car on Wethersfield Ave');
  await withDatabase(a.page, (db) => new Promise((resolve) => {
    const tx = db.transaction('recent', 'readwrite');
    tx.objectStore('recent').clear();
    tx.oncomplete = () => resolve();
  }));
  warnings = await reloadAndWait(a.page);
  assert.ok(warnings.some((w) => /does not match/.test(w)), `a mismatch warning; saw ${JSON.stringify(warnings)}`);
  for (const title of ['Broken hydrant on Franklin Ave', 'Graffiti on the underpass', 'Abandoned car on Wethersfield Ave'])
    await card(a.page, title).waitFor();

  // Back online, everything waiting reaches the server.
  await a.context.setOffline(false);
  await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  assert.deepEqual(a.errors, []);
});
