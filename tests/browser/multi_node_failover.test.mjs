// Failover in the browser (issue 13): two psc-server nodes share one
// PostgreSQL (tests/support/postgres.mjs), and each tells the web app both
// nodes' sync addresses (--sync-url). A tablet loads the app from node A,
// signs in and records a priority; node A is killed (SIGKILL, no goodbye);
// the tablet records another priority and its connection moves to node B,
// which stores both exactly once. Reloaded while node A is still dead, the
// app comes from the service worker and syncs through node B again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, startPostgres } from '../support/postgres.mjs';
import { startServer } from '../support/server.mjs';
import { catchUp } from '../support/sync_client.mjs';
import {
  card, chooseNeighborhood, closeDevices, launchBrowser, openDevice, screenshot, status, waitForServiceWorker,
} from './support.mjs';

let pg;
let a;
let b;
let browser;

before(async () => {
  pg = await startPostgres();
  const ports = [await freePort(), await freePort()];
  const syncUrls = ports.flatMap((port) => ['--sync-url', `ws://127.0.0.1:${port}/sync`]);
  [a, b] = await Promise.all(ports.map((port) => startServer({ port, args: ['--store', pg.uri, ...syncUrls] })));
  browser = await launchBrowser();
});
after(async () => {
  await closeDevices();
  await browser?.close();
  for (const node of [a, b]) {
    await node?.stop('SIGKILL');
    node?.removeData();
  }
  await pg?.stop();
});

const storedTitles = async (node) => (await catchUp(node.wsUrl)).changes
  .filter((c) => c.type === 'priority' && c.field === 'title').map((c) => c.value);

test('multi_node: the tablet moves to node B when node A dies, and keeps syncing after a reload', async () => {
  const tablet = await openDevice(browser, a, 'tablet', { account: 'organizer.a' });
  const s = status(tablet.page);
  await s.connection.filter({ hasText: 'Online' }).waitFor();
  await waitForServiceWorker(tablet.page);
  await chooseNeighborhood(tablet.page, 'Frog Hollow');
  const add = async (title) => {
    await tablet.page.getByRole('link', { name: 'Add a priority' }).click();
    await tablet.page.getByLabel(/^Title/).fill(title);
    await tablet.page.getByLabel(/^Category/).selectOption({ label: 'Traffic and streets' });
    await tablet.page.getByRole('button', { name: 'Save' }).click();
    await card(tablet.page, title).waitFor();
  };
  await add('Speeding on Park Street');
  await s.outbox.filter({ hasText: 'All changes synced' }).waitFor();

  await a.stop('SIGKILL');
  await add('Broken streetlight on Ward Street');
  await s.outbox.filter({ hasText: 'All changes synced' }).waitFor({ timeout: 20000 });
  await s.connection.filter({ hasText: 'Online' }).waitFor();
  await screenshot(tablet.page, 'fo1-moved-to-node-b');
  assert.deepEqual((await storedTitles(b)).sort(), ['Broken streetlight on Ward Street', 'Speeding on Park Street'],
    'node B holds both, each once');

  // Node A is still gone: the page comes from the service worker, the
  // connection goes to node B (the list is kept on the device).
  await tablet.page.reload();
  await tablet.page.waitForSelector('body.ready');
  await add('Graffiti on the library wall');
  await s.outbox.filter({ hasText: 'All changes synced' }).waitFor({ timeout: 20000 });
  assert.ok((await storedTitles(b)).includes('Graffiti on the library wall'));
  assert.deepEqual(tablet.errors.filter((e) => !/127\.0\.0\.1:\d+.*(ERR_CONNECTION_REFUSED|health|servers)|Failed to load resource|WebSocket/.test(e)), []);
});
