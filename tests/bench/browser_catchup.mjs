#!/usr/bin/env node
// A fresh device catching up from zero in Chromium (issue 11, item 1): the
// web app itself (build/www, its service worker, IndexedDB, the WebAssembly
// core) in Debian's headless Chromium against a real psc-server, over the
// real protocol. Not a test: the figures depend on the machine.
//
//   node tests/bench/browser_catchup.mjs [--records 20000] [--city 1250] [--only tablet|coordinator]
//                                        [--timeout-s 600] [--no-list]
//                                        [--trace FILE] [--trace-s 20]
//
// 1. Tablet: a neighborhood (frog-hollow) holding --records priorities (7
//    fields each: title, description, category, status, neighborhood,
//    address, department). A fresh browser profile opens the app, signs in as
//    the neighborhood's organizer; timed from the sign-in click to the first
//    priority card on screen ("first screen") and to the app saying every
//    change is stored and applied ("complete": no "Catching up", "All
//    changes synced", IndexedDB holding every change the neighborhood has),
//    then to every card of the list drawn ("all cards": the list holds
//    cards back while a catch-up runs).
// 2. Coordinator: a city of 17 neighborhoods x --city priorities (the
//    meeting night's size: 50 shared + 6 x 200 per neighborhood = 1,250),
//    caught up from zero by a coordinator's fresh browser profile, the same
//    two times.
// Each case on its own fresh server. Prints JSON.
//
// --trace FILE: profiles the first --trace-s seconds of each catch-up from the
// sign-in click: a Chromium performance trace (devtools.timeline, opens in
// DevTools' Performance panel) to FILE-<case>.json and a V8 CPU profile of
// the page to FILE-<case>.cpuprofile; the JSON result then also has
// `profile`: the page's main thread busy time by trace event (self time:
// script, style, layout, paint, GC, ...) and the JavaScript functions with
// the most self time.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { args, CATEGORIES, NEIGHBORHOODS, option, root } from './support.mjs';

const RECORDS = Number(option('records', 20000));
const CITY = Number(option('city', 1250));
const ONLY = option('only', 'tablet,coordinator').split(',');
const TIMEOUT_S = Number(option('timeout-s', 600));  // per catch-up; the figures say how far it got
const NO_LIST = args.includes('--no-list');
const TRACE = option('trace', '');
const TRACE_S = Number(option('trace-s', 20));

const { startServer, TEST_PASSWORD } = await import(pathToFileURL(path.join(root, 'tests/support/server.mjs')).href);
const { ChangeMaker, SyncClient, randomRecordId } = await import(pathToFileURL(path.join(root, 'tests/support/sync_client.mjs')).href);
const { launchBrowser, newDeviceContext } = await import(pathToFileURL(path.join(root, 'tests/browser/support.mjs')).href);

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

// --trace: starts a performance trace and a CPU profile of `page`; the
// returned stop() ends both (once), writes them and summarizes them.
async function startProfile(browser, page, name) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });  // µs
  await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing', 'v8.execute'] });
  await cdp.send('Profiler.start');
  let stopping = null;
  return () => stopping ??= (async () => {
    const { profile } = await cdp.send('Profiler.stop');
    const trace = await browser.stopTracing();
    const base = `${TRACE}-${name}`;
    writeFileSync(`${base}.json`, trace);
    writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));
    return { trace_file: `${base}.json`, main_thread: summarizeTrace(JSON.parse(trace)), functions: summarizeProfile(profile) };
  })();
}

// The page's main thread (the busiest CrRendererMain): wall time covered by
// its tasks, and self time per trace event name (nested complete events).
function summarizeTrace(trace) {
  const events = trace.traceEvents ?? trace;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !mains.has(`${e.pid}:${e.tid}`) || !(e.dur >= 0)) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push(e);
  }
  let best = null;
  for (const [key, list] of byThread) if (!best || list.length > best.list.length) best = { key, list };
  if (!best) return null;
  const list = best.list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const counts = new Map();
  const stack = [];
  let busy = 0;  // covered by outermost events
  const close = (until) => {
    while (stack.length && stack.at(-1).end <= until) {
      const done = stack.pop();
      self.set(done.name, (self.get(done.name) ?? 0) + done.self);
    }
  };
  for (const e of list) {
    close(e.ts);
    if (stack.length) stack.at(-1).self -= e.dur;
    else busy += e.dur;
    stack.push({ name: e.name, end: e.ts + e.dur, self: e.dur });
    counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  }
  close(Infinity);
  const span = list.length ? (list.at(-1).ts + list.at(-1).dur - list[0].ts) : 0;
  return {
    span_ms: Math.round(span / 1000), busy_ms: Math.round(busy / 1000),
    self_ms: Object.fromEntries([...self].sort((a, b) => b[1] - a[1]).slice(0, 16)
      .map(([name, us]) => [`${name} (${counts.get(name)}x)`, Math.round(us / 1000)])),
  };
}

// JavaScript self time by function (the CPU profile's samples).
function summarizeProfile(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const f = nodes.get(profile.samples[i]).callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return Object.fromEntries([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([name, us]) => [name, Math.round(us / 1000)]));
}

// A fresh profile signs in as `account` and catches up; times from the click.
async function catchUp(browser, server, account, expected, listed) {
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
  const stopProfile = TRACE ? await startProfile(browser, page, account) : null;
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
    // One look at the status line (a locator query would walk the whole list each time).
    const { synced, caughtUp } = await page.evaluate(() => ({
      synced: document.querySelector('[data-testid="outbox"]')?.textContent ?? '',
      caughtUp: !/Catching up/.test(document.getElementById('sync-status')?.textContent ?? ''),
    }));
    const elapsed = Date.now() - started;
    const note = elapsed - lastNote >= 10000;
    // IndexedDB is counted (a walk over every stored change, competing with
    // the app's writes) only when the app says it is done, or for a note.
    const done = /All changes synced/.test(synced ?? '') && caughtUp;
    if (done || note) stored = await storedCount(page);
    if (done && stored >= expected) { complete = true; break; }
    if (note) {
      lastNote = elapsed;
      progress.push({ s: Math.round(elapsed / 1000), stored });
      console.error(`${account}: ${Math.round(elapsed / 1000)} s, ${stored} of ${expected} changes stored`);
    }
    if (stopProfile && elapsed > TRACE_S * 1000) stopProfile();
    if (elapsed > TIMEOUT_S * 1000) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const completeMs = complete ? Date.now() - started : null;
  // Then every card of the list drawn (the list holds cards back during a catch-up).
  let allCardsMs = null;
  if (complete && !NO_LIST) {
    allCardsMs = await page.waitForFunction((n) => document.querySelectorAll('.priority-card').length >= n,
      listed, { polling: 100, timeout: 60000 }).then(() => Date.now() - started, () => null);
  }
  const profile = stopProfile ? await stopProfile() : undefined;
  const cards = await page.locator('.priority-card').count();
  await context.close();
  return { first_screen_ms: firstScreenMs, complete_ms: completeMs, all_cards_ms: allCardsMs, stored, expected, progress, cards,
           list_shown: !NO_LIST, errors, profile };
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
    const result = await catchUp(browser, server, account, expected, kind === 'tablet' ? RECORDS : CITY);
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
