// What the device tells its user about syncing, against the real server:
// progress during a catch-up of many pages, changes the server refuses
// (shown, kept across a reload, never dropped silently), and two tabs of one
// device sharing one connection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  card, chooseNeighborhood, newDeviceContext, openApp, openDevice, screenshot, status, useServerAndBrowser,
} from './support.mjs';

let server;
let browser;

  // Tiny pages make a catch-up of a few dozen changes take many pages; a
  // one-minute skew limit lets the test provoke a refusal.
useServerAndBrowser({
  serverOptions: { args: ['--page-size', '4', '--max-clock-skew-ms', '60000'] },
  started: (s, b) => { server = s; browser = b; },
});

async function addPriority(page, title, category = 'Youth') {
  await page.getByRole('link', { name: 'Add a priority' }).click();
  await page.getByLabel(/^Title/).fill(title);
  await page.getByLabel(/^Category/).selectOption({ label: category });
  await page.getByRole('button', { name: 'Save' }).click();
  await card(page, title).waitFor();
}

test('a device catching up shows progress, then what it received', async () => {
  const a = await openDevice(browser, server, 'A');
  await chooseNeighborhood(a.page, 'Parkville');
  const titles = ['After-school program at the library', 'Truancy on Park Terrace', 'Summer jobs for teens'];
  for (const title of titles) await addPriority(a.page, title);
  await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();

  // B starts from nothing: the seeded reference data (77 changes) + 3 x 4 fields, 23 pages.
  const context = await newDeviceContext(browser);
  // Over a slow link: each server message arrives 150 ms after the one before,
  // so the pages take over a second (the status line shows the progress when
  // a catch-up starts, then at most every 250 ms, not once per page).
  let lastDelivery = 0;
  await context.routeWebSocket(/\/sync$/, (ws) => {
    const upstream = ws.connectToServer();
    upstream.onMessage((message) => {
      lastDelivery = Math.max(Date.now(), lastDelivery) + 150;
      setTimeout(() => ws.send(message), lastDelivery - Date.now());
    });
  });
  await context.addInitScript(() => {
    window.__statusTexts = [];
    new MutationObserver(() => {
      const box = document.getElementById('sync-status');
      if (box) window.__statusTexts.push(box.textContent);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const page = await openApp(context, server, { label: 'B' });
  await status(page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  const texts = await page.evaluate(() => window.__statusTexts);
  const progress = texts.filter((text) => /Catching up: (\d+% \()?\d+ changes received/.test(text));
  assert.ok(progress.length >= 2, `progress shown while pages arrive; saw:\n${[...new Set(texts)].join('\n')}`);
  assert.doesNotMatch(await page.locator('#sync-status').innerText(), /Catching up/);
  await chooseNeighborhood(page, 'Parkville');
  for (const title of titles) await card(page, title).waitFor();
  await a.context.close();
  await context.close();
});

test('a change the server refuses is shown with its reason, survives a reload, and is not resent', async () => {
  const a = await openDevice(browser, server, 'A');
  await chooseNeighborhood(a.page, 'Blue Hills');
  await status(a.page).connection.filter({ hasText: 'Online' }).waitFor();

  // The tablet's clock jumps ten minutes ahead; the server allows one.
  await a.page.evaluate(() => {
    const realNow = Date.now.bind(Date);
    window.__realNow = realNow;
    Date.now = () => realNow() + 10 * 60 * 1000;
  });
  await addPriority(a.page, 'Illegal dumping behind the plaza', 'Environment and sanitation');
  const rejected = a.page.getByTestId('rejected');
  await rejected.waitFor();
  const text = await rejected.innerText();
  assert.match(text, /The server refused 4 changes/);
  assert.match(text, /“Illegal dumping behind the plaza”/);
  assert.match(text, /Title: “Illegal dumping behind the plaza”\nNeighborhood: “Blue Hills”\nCategory: “Environment and sanitation”\nStatus: “Proposed”/);
  assert.match(text, /\(clock_skew\)/);
  assert.equal(await status(a.page).outbox.innerText(), 'All changes synced');
  // The refused record is not part of the shared state, so not in the list.
  await card(a.page, 'Illegal dumping behind the plaza').waitFor({ state: 'detached' });
  await screenshot(a.page, 'c1-refused-change');

  // The clock is fixed and the app reopened: the refusal is still listed,
  // the refused record is still absent, and new work goes through.
  await a.page.reload();
  await a.page.waitForSelector('body.ready');
  await rejected.waitFor();
  assert.match(await rejected.innerText(), /The server refused 4 changes[\s\S]*Illegal dumping behind the plaza/);
  assert.equal(await card(a.page, 'Illegal dumping behind the plaza').count(), 0);
  await addPriority(a.page, 'Abandoned cars on Homestead Ave', 'Public safety');
  await status(a.page).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  assert.match(await rejected.innerText(), /The server refused 4 changes/);  // not resent, not refused again

  await rejected.getByRole('button', { name: 'Dismiss' }).click();
  await rejected.waitFor({ state: 'detached' });
  assert.deepEqual(a.errors, []);
  await a.context.close();
});

async function connections() {
  const response = await fetch(server.url + '/health');
  return (await response.json()).connections;
}

async function waitFor(condition, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));  // polling the server, not a fixed sleep
  }
}

test('two tabs of one device share one connection and see each other\'s work', async () => {
  const first = await openDevice(browser, server, 'tab 1');
  await status(first.page).connection.filter({ hasText: 'Online' }).waitFor();
  const second = await openApp(first.context, server, { label: 'tab 2', account: null });
  // The second tab shows the first tab's connection state, without a socket of its own.
  await status(second).connection.filter({ hasText: 'Online' }).waitFor();
  await waitFor(async () => (await connections()) === 1, 'one connection for two tabs');

  await chooseNeighborhood(second, 'Upper Albany');
  await addPriority(second, 'Noise from the Albany Ave club');
  // The first tab holds the socket and sends it; both tabs see it synced.
  await status(second).outbox.filter({ hasText: 'All changes synced' }).waitFor();
  await chooseNeighborhood(first.page, 'Upper Albany');
  await card(first.page, 'Noise from the Albany Ave club').waitFor();

  // Closing the first tab hands the connection to the second.
  await first.page.close();
  await status(second).connection.filter({ hasText: 'Online' }).waitFor();
  await waitFor(async () => (await connections()) === 1, 'the second tab to connect');
  const other = await openDevice(browser, server, 'other device');
  await chooseNeighborhood(other.page, 'Upper Albany');
  await card(other.page, 'Noise from the Albany Ave club').waitFor();
  assert.deepEqual(first.errors, []);
  await other.context.close();
  await first.context.close();
});
