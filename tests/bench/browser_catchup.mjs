#!/usr/bin/env node
// A fresh device catching up from zero in Chromium (issue 11, item 1): the
// web app itself (build/www, its service worker, IndexedDB, the WebAssembly
// core) in Debian's headless Chromium against a real psc-server, over the
// real protocol. Not a test: the figures depend on the machine.
//
//   node tests/bench/browser_catchup.mjs [--records 20000] [--city 1250] [--only tablet|coordinator]
//                                        [--timeout-s 600] [--no-list]
//
// 1. Tablet: a neighborhood (frog-hollow) holding --records priorities (7
//    fields each: title, description, category, status, neighborhood,
//    address, department). A fresh browser profile opens the app, signs in as
//    the neighborhood's organizer; timed from the sign-in click to the first
//    priority card on screen ("first screen") and to the app saying every
//    change is stored and applied ("complete": no "Catching up", "All
//    changes synced", IndexedDB holding every change the neighborhood has).
// 2. Coordinator: a city of 17 neighborhoods x --city priorities (the
//    meeting night's size: 50 shared + 6 x 200 per neighborhood = 1,250),
//    caught up from zero by a coordinator's fresh browser profile, the same
//    two times.
// Each case on its own fresh server. Prints JSON.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RECORDS = Number(option('records', 20000));
const CITY = Number(option('city', 1250));
const ONLY = option('only', 'tablet,coordinator').split(',');
const TIMEOUT_S = Number(option('timeout-s', 600));  // per catch-up; the figures say how far it got
const NO_LIST = args.includes('--no-list');

const { startServer, TEST_PASSWORD } = await import(pathToFileURL(path.join(root, 'tests/support/server.mjs')).href);
const { ChangeMaker, SyncClient, randomRecordId } = await import(pathToFileURL(path.join(root, 'tests/support/sync_client.mjs')).href);
const { launchBrowser, newDeviceContext, status } = await import(pathToFileURL(path.join(root, 'tests/browser/support.mjs')).href);

const NEIGHBORHOODS = ['asylum-hill', 'barry-square', 'behind-the-rocks', 'blue-hills', 'clay-arsenal', 'downtown',
  'frog-hollow', 'north-meadows', 'northeast', 'parkville', 'sheldon-charter-oak', 'south-end', 'south-green',
  'south-meadows', 'southwest', 'upper-albany', 'west-end'];
const CATEGORIES = ['public_safety', 'quality_of_life', 'housing_blight', 'traffic_streets', 'youth',
  'environment_sanitation', 'economic', 'other'];
const DEPARTMENTS = ['police', 'public-works', 'licenses-inspections', 'health-human-services', 'parks-recreation'];

// `count` priorities per neighborhood in `slugs`, pushed by one coordinator device.
async function seed(server, slugs, count) {
  const client = await SyncClient.connect(server.wsUrl, { catchUp: false });
  const maker = new ChangeMaker(client.device);
  let batch = [];
  let total = 0;
  for (let i = 0; i < count; i += 1) {
    for (const slug of slugs) {
      batch.push(...maker.priority({
        record: randomRecordId(),
        title: `${CATEGORIES[i % CATEGORIES.length].replace(/_/g, ' ')} near ${100 + (i % 900)} Park St`,
        category: CATEGORIES[i % CATEGORIES.length],
        neighborhood: slug,
        extra: { description: 'Residents raise this at every meeting; the block club has asked the city twice since spring.',
                 address: `${100 + (i % 900)} Park St`, department: DEPARTMENTS[i % DEPARTMENTS.length] },
      }));
      if (batch.length >= 994) {
        total += batch.length;
        await client.push(batch, { timeoutMs: 120000 });
        batch = [];
      }
    }
  }
  if (batch.length) { total += batch.length; await client.push(batch, { timeoutMs: 120000 }); }
  await client.close();
  return total;
}

async function storedCount(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('psc-sync');
    open.onsuccess = () => {
      const count = open.result.transaction('changes').objectStore('changes').count();
      count.onsuccess = () => { open.result.close(); resolve(count.result); };
      count.onerror = () => reject(count.error);
    };
    open.onerror = () => reject(open.error);
  })).catch(() => null);
}

// A fresh profile signs in as `account` and catches up; times from the click.
async function catchUp(browser, server, account, expected) {
  const context = await newDeviceContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  await page.waitForSelector('body.ready');
  const form = page.getByTestId('signin-form');
  await form.waitFor();
  await page.getByLabel('Username').fill(account);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  // Page-side clock: from the click to the first card, sampled each frame.
  await page.evaluate(() => {
    window.__firstCard = null;
    const watch = () => {
      if (document.querySelector('.priority-card')) window.__firstCard = performance.now();
      else requestAnimationFrame(watch);
    };
    window.__clickAt = performance.now();
    requestAnimationFrame(watch);
  });
  const started = Date.now();
  await form.getByRole('button', { name: 'Sign in' }).click();
  // Signed in, the app asks which neighborhood: Frog Hollow's list, as soon as it can be chosen
  // (--no-list: stay on the neighborhood chooser, to see what drawing the list costs).
  await page.getByTestId('account').filter({ hasText: account }).waitFor();
  if (!NO_LIST) await page.evaluate(() => { location.hash = '#/n/frog-hollow'; });
  let firstScreenMs = null;
  let stored = 0;
  let complete = false;
  const progress = [];
  for (let lastNote = 0; ;) {
    if (firstScreenMs === null && !NO_LIST) {
      const at = await page.evaluate(() => (window.__firstCard === null ? null : window.__firstCard - window.__clickAt));
      if (at !== null) { firstScreenMs = Math.round(at); console.error(`${account}: first card after ${firstScreenMs} ms`); }
    }
    const synced = await status(page).outbox.textContent().catch(() => '');
    const caughtUp = await page.evaluate(() => !/Catching up/.test(document.getElementById('sync-status')?.textContent ?? ''));
    stored = await storedCount(page);
    if (/All changes synced/.test(synced ?? '') && caughtUp && stored >= expected) { complete = true; break; }
    const elapsed = Date.now() - started;
    if (elapsed - lastNote >= 10000) {
      lastNote = elapsed;
      progress.push({ s: Math.round(elapsed / 1000), stored });
      console.error(`${account}: ${Math.round(elapsed / 1000)} s, ${stored} of ${expected} changes stored`);
    }
    if (elapsed > TIMEOUT_S * 1000) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const completeMs = complete ? Date.now() - started : null;
  const cards = await page.locator('.priority-card').count();
  await context.close();
  return { first_screen_ms: firstScreenMs, complete_ms: completeMs, stored, expected, progress, cards,
           list_shown: !NO_LIST, errors };
}

async function run(kind) {
  const server = await startServer({ args: ['--max-messages-per-second', '100000'] });
  const browser = await launchBrowser();
  try {
    let changes, account;
    if (kind === 'tablet') {
      changes = await seed(server, ['frog-hollow'], RECORDS);
      account = 'organizer-frog-hollow';
      server.createAccount(account, 'organizer', { neighborhood: 'frog-hollow' });
    } else {
      changes = await seed(server, NEIGHBORHOODS, CITY);
      account = 'tester';
    }
    // The device also receives the neighborhoods' own records (seeded by the server).
    const health = await (await fetch(`${server.url}/health`)).json();
    const expected = changes;
    const load = os.loadavg();
    const result = await catchUp(browser, server, account, expected);
    return { kind, account, records: kind === 'tablet' ? RECORDS : CITY * NEIGHBORHOODS.length, changes,
             server_sequence: health.sequence, ...result, load_before: load, load_after: os.loadavg() };
  } finally {
    await browser.close();
    await server.stop();
    server.removeData();
  }
}

const results = [];
for (const kind of ['tablet', 'coordinator']) if (ONLY.includes(kind)) results.push(await run(kind));
console.log(JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2));
