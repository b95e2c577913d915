// The coordinator's device list, against the real server: a tablet that
// reported unsynced changes (and never delivered them) stands out with how
// many and since when; a synced one does not; once the tablet delivers them
// it is shown synced. Only coordinators get the screen.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { startServer } from '../support/server.mjs';
import {
  card, chooseNeighborhood, closeDevices, launchBrowser, openDevice, screenshot, status, waitForServiceWorker,
} from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  server.createAccount('rosa', 'organizer', { neighborhood: 'parkville' });
  server.createAccount('luis', 'organizer', { neighborhood: 'parkville' });
  browser = await launchBrowser();
});
afterEach(closeDevices);
after(async () => {
  await browser?.close();
  await server?.stop();
  server?.removeData();
});

async function addPriority(page, title) {
  await page.getByRole('link', { name: 'Add a priority' }).click();
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Category/).selectOption({ label: 'Youth' });
  await page.getByRole('button', { name: 'Save' }).click();
  await card(page, title).waitFor();
}

test('the coordinator sees which devices still hold unsynced changes, and since when', async () => {
  // Rosa's tablet records offline, then reaches the server only long enough
  // to say hello: its pushes are lost on the way (a flaky connection).
  const rosa = await openDevice(browser, server, 'rosa', { account: 'rosa' });
  await status(rosa.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  await waitForServiceWorker(rosa.page);  // the app shell works offline, as on a tablet in use
  await chooseNeighborhood(rosa.page, 'Parkville');
  await rosa.context.setOffline(true);
  await status(rosa.page).connection.filter({ hasText: 'Offline' }).waitFor();
  await addPriority(rosa.page, 'Loitering at the Park St bus stop');
  let losePushes = true;
  await rosa.context.routeWebSocket(/\/sync$/, (ws) => {
    const upstream = ws.connectToServer();  // forwards both ways, unless:
    if (losePushes) ws.onMessage((message) => { if (!String(message).includes('"type":"push"')) upstream.send(message); });
  });
  await rosa.context.setOffline(false);
  await status(rosa.page).connection.filter({ hasText: 'Online' }).waitFor();
  assert.equal(await status(rosa.page).outbox.innerText(), '4 changes waiting');

  // Luis's tablet is synced.
  const luis = await openDevice(browser, server, 'luis', { account: 'luis' });
  await chooseNeighborhood(luis.page, 'Parkville');
  await addPriority(luis.page, 'Speeding on Broad St');
  await status(luis.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();

  // Luis, an organizer, has no device list.
  assert.equal(await luis.page.getByRole('link', { name: 'Hand-off', exact: true }).count(), 1);
  assert.equal(await luis.page.getByRole('link', { name: 'Devices', exact: true }).count(), 0);
  await luis.page.goto(`${server.url}/#/devices`);
  await luis.page.getByRole('heading', { name: 'Parkville: priorities' }).waitFor();
  assert.equal(await luis.page.getByTestId('devices-table').count(), 0);

  const coordinator = await openDevice(browser, server, 'coordinator');
  const page = coordinator.page;
  await page.getByRole('navigation', { name: 'Device tools' }).getByRole('link', { name: 'Devices', exact: true }).click();
  const table = page.getByTestId('devices-table');
  await table.waitFor();
  await page.getByTestId('devices-summary').filter({ hasText: '1 device still holds unsynced changes.' }).waitFor();
  const rosaRow = table.locator('tbody tr').filter({ hasText: 'rosa' });
  const luisRow = table.locator('tbody tr').filter({ hasText: 'luis' });
  assert.equal(await rosaRow.count(), 1, 'one row per device and account');
  assert.match(await rosaRow.getAttribute('class'), /device-holding/);
  assert.match(await rosaRow.innerText(), /organizer[\s\S]*4 · holds data\s+\d{1,2}:\d{2}\s?(AM|PM)/);
  assert.doesNotMatch(await luisRow.getAttribute('class'), /device-holding/);
  assert.match(await luisRow.innerText(), /organizer[\s\S]*0 · synced\s+—/);
  assert.equal((await table.locator('tbody tr').first().innerText()).includes('rosa'), true, 'holding devices first');
  assert.match(await table.locator('tbody tr').filter({ hasText: 'this device' }).innerText(), /tester[\s\S]*coordinator/);
  await screenshot(page, 'd1-devices', { top: true });

  // In Spanish too.
  await page.getByLabel('Language').selectOption({ label: 'Español' });
  await page.getByRole('heading', { name: 'Dispositivos' }).waitFor();
  await page.getByTestId('devices-summary').filter({ hasText: '1 dispositivo aún guarda cambios sin sincronizar.' }).waitFor();
  await screenshot(page, 'd2-devices-es', { top: true });
  await page.getByLabel('Idioma').selectOption({ label: 'English' });

  // Rosa's connection recovers: her changes arrive and the list says so.
  losePushes = false;
  await rosa.context.setOffline(true);
  await rosa.context.setOffline(false);
  await status(rosa.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByTestId('devices-summary').filter({ hasText: 'No device reports unsynced changes.' }).waitFor();
  assert.match(await table.locator('tbody tr').filter({ hasText: 'rosa' }).innerText(), /0 · synced/);
  assert.deepEqual([...rosa.errors, ...luis.errors, ...coordinator.errors], []);
});
