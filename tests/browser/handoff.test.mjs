// Offline hand-off in the web app, against the real server: a tablet that
// cannot reach the server exports its unsynced changes to a file; another
// device imports it (the records show there at once, even offline) and
// uploads it when online; importing it again adds nothing; a tampered copy
// is refused with a clear message and nothing stored is lost; the tablet
// reconnecting later sends its outbox without duplicating anything.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { catchUp } from '../support/sync_client.mjs';
import {
  accountMenuItem, card, chooseNeighborhood, openDevice, screenshot, status, stepsOf, useServerAndBrowser, waitForServiceWorker,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('rosa', 'organizer', { neighborhood: 'frog-hollow' });
    s.createAccount('ana', 'organizer', { neighborhood: 'frog-hollow' });
  },
  started: (s, b) => { server = s; browser = b; },
});

const TITLES = ['Broken streetlight on Zion St', 'Trash pickup missed on Park St'];

async function addPriority(page, title) {
  await page.getByRole('link', { name: 'Add a priority' }).click();
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Category/).selectOption({ label: 'Quality of life' });
  await page.getByRole('button', { name: 'Save' }).click();
  await card(page, title).waitFor();
}

async function openHandoff(page) {
  await (await accountMenuItem(page, 'link', 'Hand-off')).click();
  await page.getByRole('heading', { name: 'Offline hand-off' }).waitFor();
}

// Chooses a file in the import field, as a person would.
async function importFile(page, name, text) {
  await page.getByLabel('Hand-off file', { exact: true }).setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

// Every change on the server from `device`, by id (a coordinator's catch-up).
async function serverChangesFrom(device) {
  const { changes } = await catchUp(server.wsUrl);
  return changes.filter((c) => c.device === device);
}

function countsById(changes) {
  const counts = new Map();
  for (const c of changes) counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
  return counts;
}

test('a tablet\'s unsynced changes travel by file to another device and reach the server once', async (t) => {
  const step = stepsOf(t);
  let a, b;                                     // the tablet and the other device
  let name, fileText, file, exported, deviceA;  // the hand-off file
  let imported, onServer;
  await step('tablet A records two priorities with no connection', async () => {
    // Tablet A records two priorities with no connection.
    a = await openDevice(browser, server, 'A', { account: 'rosa' });
    await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await waitForServiceWorker(a.page);  // the app shell works offline, as on a tablet in use
    await chooseNeighborhood(a.page, 'Frog Hollow');
    await a.context.setOffline(true);
    await status(a.page).connection.filter({ hasText: 'Offline' }).waitFor();
    for (const title of TITLES) await addPriority(a.page, title);
    await status(a.page).outbox.filter({ hasText: '8 changes waiting' }).waitFor();
  });

  await step('tablet A exports its unsynced changes to a file and keeps them in its outbox', async () => {
    // It exports them to a file; they stay in its outbox.
    await openHandoff(a.page);
    await a.page.getByTestId('handoff-waiting').filter({ hasText: '8 changes by rosa are waiting on this device.' }).waitFor();
    const [download] = await Promise.all([
      a.page.waitForEvent('download'),
      a.page.getByRole('button', { name: 'Export unsynced changes' }).click(),
    ]);
    name = download.suggestedFilename();
    assert.match(name, /^psc-handoff-web-[0-9a-f]{16}-\d{8}-\d{4}\.json$/);
    await a.page.getByTestId('handoff-export-result').filter({ hasText: `Saved 8 changes to ${name}.` }).waitFor();
    assert.equal(await status(a.page).outbox.innerText(), '8 changes waiting', 'exporting does not clear the outbox');
    await screenshot(a.page, 'k1-handoff-export', { fullPage: true });
    fileText = readFileSync(await download.path(), 'utf8');
  });

  await step('the file is a signed hand-off of rosa’s eight changes from tablet A', async () => {
    file = JSON.parse(fileText);
    assert.equal(file.format, 'psc-handoff');
    assert.equal(file.version, 1);
    assert.match(file.mac, /^[0-9a-f]{64}$/);
    exported = JSON.parse(file.payload);
    assert.equal(exported.account, 'rosa');
    assert.equal(exported.changes.length, 8);
    deviceA = file.device;
    assert.ok(exported.changes.every((c) => c.device === deviceA && c.actor === 'rosa'));
  });

  await step('device B, offline too, imports the file: the records show at once and survive a reload', async () => {
    // Device B, offline too, imports the file: the records show at once and
    // survive a reload; the file waits to be uploaded.
    b = await openDevice(browser, server, 'B', { account: 'ana' });
    await status(b.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await waitForServiceWorker(b.page);
    await chooseNeighborhood(b.page, 'Frog Hollow');
    await b.context.setOffline(true);
    await status(b.page).connection.filter({ hasText: 'Offline' }).waitFor();
    await openHandoff(b.page);
    await importFile(b.page, name, fileText);
    imported = b.page.getByTestId('handoff-import-result');
    await imported.filter({ hasText: `Imported 8 changes from ${deviceA} (rosa). It will be uploaded to the server when this device is online.` }).waitFor();
    await b.page.getByTestId('handoffs-waiting').filter({ hasText: '1 hand-off file to upload' }).waitFor();
    await b.page.getByTestId('handoff-list').filter({ hasText: 'Waiting to be uploaded to the server' }).waitFor();
    await screenshot(b.page, 'k2-handoff-imported-offline', { fullPage: true });
    await b.page.goto(`${server.url}/#/n/frog-hollow`);
    await b.page.reload();
    await b.page.waitForSelector('body.ready');
    for (const title of TITLES) await card(b.page, title).waitFor();
    assert.equal(await status(b.page).outbox.innerText(), 'All changes synced', 'B has nothing of its own to send');
  });

  await step('online, B uploads the file and the server has every change once', async () => {
    // Online: B uploads the file; the server has every change once.
    await b.context.setOffline(false);
    await b.page.getByTestId('toast')
      .filter({ hasText: `Hand-off file from ${deviceA} uploaded: the server took 8 new changes and already had 0.` }).waitFor();
    await b.page.getByTestId('handoffs-waiting').waitFor({ state: 'detached' });
    onServer = await serverChangesFrom(deviceA);
    assert.equal(onServer.length, 8);
    assert.deepEqual([...countsById(onServer).values()].filter((n) => n > 1), []);
    assert.deepEqual(onServer.map((c) => c.id).sort(), exported.changes.map((c) => c.id).sort());
  });

  await step('the same file imported again is recognized and adds nothing', async () => {
    // The same file again: recognized, nothing added, nothing sent twice.
    await openHandoff(b.page);
    await b.page.getByTestId('handoff-list').filter({ hasText: 'Uploaded: the server took 8 new, already had 0' }).waitFor();
    await importFile(b.page, name, fileText);
    await imported.filter({ hasText: /^This file was already imported \(.+\); nothing was added\.$/ }).waitFor();
    assert.equal(await b.page.getByTestId('handoff-list').locator('li').count(), 1);
  });

  await step('files that are not hand-off files are refused on the spot', async () => {
    // Files that are not hand-off files are refused on the spot, clearly.
    await importFile(b.page, 'notes.json', '{"format": "psc-handoff", "version": 1, "device": "x", "payl');
    await imported.filter({ hasText: 'This is not a hand-off file: it is not valid JSON (it may be damaged or cut short).' }).waitFor();
    await importFile(b.page, 'other.json', JSON.stringify({ format: 'zip', files: [] }));
    await imported.filter({ hasText: 'This is not a PSC Sync hand-off file (version 1).' }).waitFor();
  });

  await step('a tampered copy is refused by the server and nothing stored is lost', async () => {
    // A copy with a value edited: the server refuses it, the user is told,
    // and what B already had is intact.
    const tampered = { ...file, payload: file.payload.replace(TITLES[0], 'Streetlight fixed, nothing to do') };
    assert.notEqual(tampered.payload, file.payload);
    await importFile(b.page, 'tampered.json', JSON.stringify(tampered));
    const refusal = b.page.getByRole('alert').filter({
      hasText: `The hand-off file from ${deviceA} was refused by the server: the file was changed after it was exported. Its changes were removed from this device; nothing else changed.`,
    });
    await refusal.waitFor();
    await imported.filter({ hasText: 'Refused by the server: the file was changed after it was exported.' }).waitFor();
    await b.page.getByTestId('handoff-list').locator('li.handoff-refused')
      .filter({ hasText: 'Refused by the server: the file was changed after it was exported.' }).waitFor();
    await screenshot(b.page, 'k3-handoff-tampered-refused', { fullPage: true });
    await b.page.goto(`${server.url}/#/n/frog-hollow`);
    for (const title of TITLES) await card(b.page, title).waitFor();
    assert.equal(await card(b.page, 'Streetlight fixed, nothing to do').count(), 0);
    onServer = await serverChangesFrom(deviceA);
    assert.equal(onServer.length, 8, 'nothing of the tampered file stored');
    assert.ok(!onServer.some((c) => c.value === 'Streetlight fixed, nothing to do'));
  });

  await step('tablet A reconnects and sends its outbox without duplicating anything', async () => {
    // Tablet A comes back: its outbox goes, and nothing is stored twice.
    await a.context.setOffline(false);
    await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    onServer = await serverChangesFrom(deviceA);
    assert.equal(onServer.length, 8);
    assert.deepEqual([...countsById(onServer).values()].filter((n) => n > 1), []);
  });

  await step('neither device shows an unexpected error', async () => {
    // The browser logs the refused upload's HTTP 400 as a console error; that
    // one is expected, nothing else is.
    const unexpected = b.errors.filter((e) => !/status of 400 \(Bad Request\)/.test(e));
    assert.deepEqual([...a.errors, ...unexpected], []);
  });
});
