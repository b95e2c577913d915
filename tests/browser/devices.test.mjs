// The coordinator's device list, against the real server: a tablet that
// reported unsynced changes (and never delivered them) stands out with how
// many and since when; a synced one does not; once the tablet delivers them
// it is shown synced. Only coordinators get the screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accountMenuItem, card, chooseNeighborhood, openDevice, screenshot, status, stepsOf, useServerAndBrowser, waitForServiceWorker,
} from './support.mjs';

let server;
let browser;

useServerAndBrowser({
  prepare: async (s) => {
    s.createAccount('rosa', 'organizer', { neighborhood: 'parkville' });
    s.createAccount('luis', 'organizer', { neighborhood: 'parkville' });
  },
  started: (s, b) => { server = s; browser = b; },
});

async function addPriority(page, title) {
  await page.getByRole('link', { name: 'Add a priority' }).click();
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Category/).selectOption({ label: 'Youth' });
  await page.getByRole('button', { name: 'Save' }).click();
  await card(page, title).waitFor();
}

test('the coordinator sees which devices still hold unsynced changes, and since when', async (t) => {
  const step = stepsOf(t);
  let rosa, losePushes, luis, coordinator, page, table;
  await step('Rosa’s tablet records offline, then loses its pushes on a flaky connection', async () => {
    // Rosa's tablet records offline, then reaches the server only long enough
    // to say hello: its pushes are lost on the way (a flaky connection).
    rosa = await openDevice(browser, server, 'rosa', { account: 'rosa' });
    await status(rosa.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await waitForServiceWorker(rosa.page);  // the app shell works offline, as on a tablet in use
    await chooseNeighborhood(rosa.page, 'Parkville');
    await rosa.context.setOffline(true);
    await status(rosa.page).connection.filter({ hasText: 'Offline' }).waitFor();
    await addPriority(rosa.page, 'Loitering at the Park St bus stop');
    losePushes = true;
    await rosa.context.routeWebSocket(/\/sync$/, (ws) => {
      const upstream = ws.connectToServer();  // forwards both ways, unless:
      if (losePushes) ws.onMessage((message) => { if (!String(message).includes('"type":"push"')) upstream.send(message); });
    });
    await rosa.context.setOffline(false);
    await status(rosa.page).connection.filter({ hasText: 'Online' }).waitFor();
    assert.equal(await status(rosa.page).outbox.innerText(), '4 changes waiting');
  });

  await step('Luis’s tablet records a priority and syncs', async () => {
    // Luis's tablet is synced.
    luis = await openDevice(browser, server, 'luis', { account: 'luis' });
    await chooseNeighborhood(luis.page, 'Parkville');
    await addPriority(luis.page, 'Speeding on Broad St');
    await status(luis.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  });

  await step('Luis, an organizer, is offered no device list', async () => {
    // Luis, an organizer, has no device list.
    assert.equal(await (await accountMenuItem(luis.page, 'link', 'Hand-off')).count(), 1);
    assert.equal(await (await accountMenuItem(luis.page, 'link', 'Devices')).count(), 0);
    await luis.page.goto(`${server.url}/#/devices`);
    await luis.page.getByRole('heading', { name: 'Parkville: priorities' }).waitFor();
    assert.equal(await luis.page.getByTestId('devices-table').count(), 0);
  });

  await step('the coordinator’s device list shows Rosa’s tablet first, holding changes since a time, and Luis’s synced', async () => {
    coordinator = await openDevice(browser, server, 'coordinator');
    page = coordinator.page;
    await (await accountMenuItem(page, 'link', 'Devices')).click();
    table = page.getByTestId('devices-table');
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
  });

  await step('the device list reads in Spanish too', async () => {
    // In Spanish too.
    await page.getByLabel('Language').selectOption({ label: 'Español' });
    await page.getByRole('heading', { name: 'Dispositivos' }).waitFor();
    await page.getByTestId('devices-summary').filter({ hasText: '1 dispositivo aún guarda cambios sin sincronizar.' }).waitFor();
    await screenshot(page, 'd2-devices-es', { top: true });
    await page.getByLabel('Idioma').selectOption({ label: 'English' });
  });

  await step('Rosa’s connection recovers and the list shows her tablet synced', async () => {
    // Rosa's connection recovers: her changes arrive and the list says so.
    losePushes = false;
    await rosa.context.setOffline(true);
    await rosa.context.setOffline(false);
    await status(rosa.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('devices-summary').filter({ hasText: 'No device reports unsynced changes.' }).waitFor();
    assert.match(await table.locator('tbody tr').filter({ hasText: 'rosa' }).innerText(), /0 · synced/);
  });

  await step('no device shows an error', async () => {
    assert.deepEqual([...rosa.errors, ...luis.errors, ...coordinator.errors], []);
  });
});

test('devices are known by name: chosen at sign-in, renamed by the coordinator or on the device itself', async () => {
  const rosa = await openDevice(browser, server, 'rosa', { account: 'rosa', deviceName: 'Parkville tablet 1' });
  const coordinator = await openDevice(browser, server, 'coordinator', { viewport: { width: 1024, height: 768 } });
  const page = coordinator.page;
  await page.goto(`${server.url}/#/devices`);
  const table = page.getByTestId('devices-table');
  await table.waitFor();
  const named = table.locator('tbody tr').filter({ hasText: 'rosa' }).filter({ hasText: 'Parkville tablet 1' });
  await named.waitFor();
  assert.match(await named.locator('.device-id').innerText(), /^web-[0-9a-f]{16}$/, 'the id is still there, under the name');
  const rosaRow = table.locator(`tr[data-device="${await named.getAttribute('data-device')}"]`);

  // The coordinator renames it: a long name without spaces stays inside the table.
  const longName = 'Parkville-library-laptop-for-the-Tuesday-block-group-meeting';  // 60 characters
  await rosaRow.getByRole('button', { name: 'Rename: Parkville tablet 1' }).click();
  await rosaRow.getByRole('textbox').fill(longName);
  await rosaRow.getByRole('button', { name: 'Save name' }).click();
  const renamed = table.locator('tbody tr').filter({ hasText: 'rosa' }).locator('.device-name');
  await renamed.filter({ hasText: longName }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll');
  await screenshot(page, 'd3-devices-named', { top: true });

  // Rosa's tablet learns it when it next connects, and renames itself on its account page.
  await rosa.context.setOffline(true);
  await status(rosa.page).connection.filter({ hasText: 'Offline' }).waitFor();
  await rosa.context.setOffline(false);
  await status(rosa.page).connection.filter({ hasText: 'Online' }).waitFor();
  await rosa.page.goto(`${server.url}/#/account`);
  const own = rosa.page.getByLabel(/^Name of device web-/);
  await rosa.page.waitForFunction((name) => document.querySelector('#own-device-name-input')?.value === name, longName);
  await own.fill('Rosa tablet');
  await rosa.page.getByRole('button', { name: 'Save name' }).click();
  await rosa.page.getByTestId('toast').filter({ hasText: 'This device is now called “Rosa tablet”.' }).waitFor();
  await screenshot(rosa.page, 'd4-account-device-name', { top: true });
  // The toast lets taps through to what is under it, and the next tap ends it.
  const toast = rosa.page.getByTestId('toast');
  const box = await toast.boundingBox();
  const under = await rosa.page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('.toast') === null,
    [box.x + 20, box.y + box.height / 2]);
  assert.equal(under, true, 'a tap on the toast reaches the page under it');
  await rosa.page.mouse.click(box.x + 20, box.y + box.height / 2);
  await toast.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await table.locator('tbody tr').filter({ hasText: 'rosa' }).locator('.device-name').filter({ hasText: 'Rosa tablet' }).waitFor();
  assert.deepEqual([...rosa.errors, ...coordinator.errors], []);
});
