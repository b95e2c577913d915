// Offline capture, end to end against the real psc-server: a device that
// has connected once keeps working with the network cut, survives a reload
// while offline (app shell from the service worker, records from IndexedDB),
// and its entry reaches a second device once it is back online.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { webRoot } from '../support/server.mjs';
import {
  card, chooseNeighborhood, newDeviceContext, openApp, openDevice, screenshot, status, useServerAndBrowser, waitForServiceWorker,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({ started: (s, b) => { server = s; browser = b; } });

const TITLE = 'Speeding on Park Street near the school';

test('a priority added offline survives an offline reload and reaches another device', async () => {
  const a = await openDevice(browser, server, 'A', { account: 'maria.lopez' });
  const sa = status(a.page);
  await sa.connection.filter({ hasText: 'Online' }).waitFor();
  await sa.lastSync.filter({ hasText: 'Last synced' }).waitFor();
  await waitForServiceWorker(a.page);
  await chooseNeighborhood(a.page, 'Frog Hollow');
  await a.page.getByText('No priorities recorded for Frog Hollow yet.').waitFor();

  await a.context.setOffline(true);
  await sa.connection.filter({ hasText: 'Offline' }).waitFor();

  await a.page.getByRole('link', { name: 'Add a priority' }).click();
  await a.page.getByLabel(/^Title/).fill(TITLE);
  await a.page.getByLabel(/^Category/).selectOption({ label: 'Traffic and streets' });
  await a.page.getByLabel(/^Address/).fill('Park St & Broad St');
  await a.page.getByLabel(/^Description/).fill('Cars speed through the school zone at pickup time.');
  await screenshot(a.page, 'a1-new-priority-offline');
  await a.page.getByRole('button', { name: 'Save' }).click();
  await a.page.getByTestId('toast').filter({ hasText: 'Saved on this device. It will sync when the connection is back.' }).waitFor();
  // neighborhood, title, category, status, address, description: six field changes.
  assert.equal(await sa.outbox.innerText(), '6 changes waiting');
  await card(a.page, TITLE).waitFor();
  await screenshot(a.page, 'a2-list-offline-waiting');

  // Reload with the network still cut: the service worker serves the shell,
  // IndexedDB gives the records back.
  await a.page.reload();
  await a.page.waitForSelector('body.ready');
  assert.equal(await a.page.evaluate(() => navigator.serviceWorker.controller !== null), true,
    'the reloaded page is controlled by the service worker');
  await card(a.page, TITLE).waitFor();
  assert.match(await card(a.page, TITLE).innerText(), /Traffic and streets[\s\S]*Park St & Broad St/);
  await sa.connection.filter({ hasText: 'Offline' }).waitFor({ timeout: 5000 });  // "Connecting…" for a moment after boot
  assert.equal(await sa.outbox.innerText(), '6 changes waiting');
  await screenshot(a.page, 'a3-reloaded-offline');

  await a.context.setOffline(false);
  await sa.outbox.filter({ hasText: 'All changes synced' }).waitFor();
  await sa.connection.filter({ hasText: 'Online' }).waitFor();

  const b = await openDevice(browser, server, 'B');
  await chooseNeighborhood(b.page, 'Frog Hollow');
  const onB = card(b.page, TITLE);
  await onB.waitFor();
  assert.match(await onB.innerText(), /Proposed[\s\S]*Traffic and streets[\s\S]*Park St & Broad St[\s\S]*school zone/);
  await onB.getByRole('link', { name: /^Edit/ }).click();
  await b.page.getByText(/Last edited by maria.lopez on web-[0-9a-f]{16}/).waitFor();
  assert.equal(await b.page.getByLabel(/^Title/).inputValue(), TITLE);
  await screenshot(b.page, 'a4-device-b-edit');

  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.context.close();
  await b.context.close();
});

test('a device that never reached the server explains why it has no neighborhoods', async () => {
  const context = await newDeviceContext(browser);
  // The page loads, but the sync socket is refused: this device has never synced.
  let refuse = true;
  await context.routeWebSocket(/\/sync$/, (ws) => {
    if (refuse) ws.close({ code: 1011, reason: 'refused by the test' });
    else ws.connectToServer();  // forwards both ways
  });
  const page = await openApp(context, server, { label: 'never connected' });  // HTTP works; only the socket is refused

  await page.getByRole('heading', { name: 'No neighborhoods on this device yet' }).waitFor();
  await page.getByText('has never connected to the PSC Sync server').waitFor();
  assert.equal(await page.getByLabel('Neighborhood').isDisabled(), true);
  await status(page).lastSync.filter({ hasText: 'Never synced' }).waitFor();
  await screenshot(page, 'a5-never-connected');

  // Once the socket is allowed, the neighborhoods arrive and the picker fills.
  refuse = false;
  // As when the tablet rejoins a network: the browser fires `online`.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.getByRole('heading', { name: 'Choose a neighborhood' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Asylum Hill' }).count(), 1);
  await context.close();
});

test('the service worker caches every file of the app shell', () => {
  // The build writes SHELL (client-wasm/cmake/stamp_service_worker.cmake):
  // every staged file but sw.js and source maps, and the page itself.
  const sw = readFileSync(path.join(webRoot, 'sw.js'), 'utf8');
  const shell = /SHELL=\[([^\]]*)\]/.exec(sw) ?? /SHELL = \[([^\]]*)\]/.exec(sw);
  assert.ok(shell, 'the staged sw.js has a SHELL list');
  const listed = new Set([...shell[1].matchAll(/["']([^"']+)["']/g)].map((m) => m[1]));
  const files = readdirSync(webRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(webRoot, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/'))
    .filter((f) => f !== 'sw.js' && !f.endsWith('.map'));
  assert.deepEqual(files.filter((f) => !listed.has(f)), [], 'staged files missing from SHELL');
  assert.deepEqual([...listed].filter((f) => f !== './' && !files.includes(f)), [], 'SHELL names files not staged');
  for (const f of ['psc_core.mjs', 'psc_core.wasm', 'js/device-names.js', './']) assert.ok(listed.has(f), `${f} in SHELL`);
});
