#!/usr/bin/env node
// The browser's WebAssembly core, per change (issue 11, item 1): what a
// device pays to take in a server page and to send a push, measured on the
// real module the web app ships (build/www/psc_core.mjs + .wasm), loaded and
// called through web/js/core.js exactly as web/js/sync.js does. Not a test:
// the figures depend on the machine. Prints a table; --write also records it
// in tests/bench/WASM_CORE.md.
//
//   node tests/bench/wasm_core.mjs [--pages 20] [--rounds 7] [--www build/www] [--write] [--label after]
//                                  [--only parse,take,decode,receive,push]
//
// The workload: pages of 500 changes as the server sends them (its canonical
// encoding, `{"type":"changes","changes":[...],"cursor","more"}`) from six
// tablets of one neighborhood: priorities created with 7 fields each
// (title, description, category, status, neighborhood, address, department)
// and, one change in 15, an edit of an earlier priority's status or title
// whose base names the value it replaces. Every round applies every page to a
// fresh replica (a replica that has seen a change skips it), and the median
// round is the figure.
import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { args, benchDir, CATEGORIES, option, recordRun, root } from './support.mjs';

const PAGES = Number(option('pages', 20));
const PAGE_SIZE = Number(option('page-size', 500));
const ROUNDS = Number(option('rounds', 7));
const WWW = path.resolve(option('www', path.join(root, 'build/www')));
const WRITE = args.includes('--write');
const LABEL = option('label', 'now');
// Only some rows (for profiling one path with node --cpu-prof): parse,take,decode,receive,push.
const ONLY = option('only', 'parse,take,decode,receive,push').split(',');

// --- the workload --------------------------------------------------------------

const NEIGHBORHOOD = 'frog-hollow';
const STATUSES = ['proposed', 'adopted', 'in_progress', 'resolved'];
const DEPARTMENTS = ['police', 'public-works', 'licenses-inspections', 'health-human-services', 'parks-recreation'];
const STREETS = ['Park St', 'Broad St', 'Zion St', 'Washington St', 'Capitol Ave', 'Main St', 'Wethersfield Ave'];

// Deterministic, so every run measures the same bytes.
let seed = 0x2545f491;
function random() {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 0x100000000;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const hex = (digits) => Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');

// The server's canonical change encoding (shared/src/change.cpp encode_change: keys sorted).
function wire({ type, record, field, value, hlc, device, actor, base }) {
  return { actor, base, device, field, hlc, id: `${hlc}@${device}`, record, type, value };
}

function makeWorkload(total) {
  const start = Date.parse('2026-11-12T23:00:00Z');
  const tablets = Array.from({ length: 6 }, (_, i) => ({
    device: `web-${hex(16)}`, actor: `organizer-${NEIGHBORHOOD}-${i + 1}`, millis: start + i * 7, counter: 0,
  }));
  const stamp = (tablet) => {
    tablet.millis += 1 + Math.floor(random() * 40);
    return tablet.millis.toString(16).padStart(12, '0') + (tablet.counter++ & 0xffff).toString(16).padStart(4, '0');
  };
  const changes = [];
  const leaves = new Map();  // record/field -> id of its current value
  const records = [];
  let n = 0;
  while (changes.length < total) {
    const tablet = tablets[n++ % tablets.length];
    if (records.length > 20 && changes.length % 15 === 14) {
      const record = pick(records);
      const field = random() < 0.6 ? 'status' : 'title';
      const value = field === 'status' ? pick(STATUSES) : `${pick(CATEGORIES).replace(/_/g, ' ')} at ${100 + Math.floor(random() * 900)} ${pick(STREETS)}, again`;
      const key = `${record}/${field}`;
      const hlc = stamp(tablet);
      changes.push(wire({ type: 'priority', record, field, value, hlc, device: tablet.device, actor: tablet.actor,
                          base: [leaves.get(key)] }));
      leaves.set(key, `${hlc}@${tablet.device}`);
      continue;
    }
    const record = hex(32);
    records.push(record);
    const fields = {
      title: `${pick(CATEGORIES).replace(/_/g, ' ')} near ${100 + Math.floor(random() * 900)} ${pick(STREETS)}`,
      description: 'Residents report this at every meeting; the block club has asked the city twice since spring.',
      category: pick(CATEGORIES),
      status: 'proposed',
      neighborhood: NEIGHBORHOOD,
      address: `${100 + Math.floor(random() * 900)} ${pick(STREETS)}`,
      department: pick(DEPARTMENTS),
    };
    for (const [field, value] of Object.entries(fields)) {
      const hlc = stamp(tablet);
      changes.push(wire({ type: 'priority', record, field, value, hlc, device: tablet.device, actor: tablet.actor, base: [] }));
      leaves.set(`${record}/${field}`, `${hlc}@${tablet.device}`);
    }
  }
  return changes.slice(0, total);
}

// Pages as the server writes them (shared/src/protocol.cpp encode_changes_page).
function pageTexts(changes) {
  const pages = [];
  for (let i = 0; i < changes.length; i += PAGE_SIZE) {
    const slice = changes.slice(i, i + PAGE_SIZE);
    pages.push(`{"type":"changes","changes":[${slice.map((c) => JSON.stringify(c)).join(',')}],` +
               `"cursor":${i + slice.length},"more":${i + PAGE_SIZE < changes.length}}`);
  }
  return pages;
}

// --- the module, as the web app loads it -------------------------------------------

async function loadModule() {
  const coreJs = path.join(WWW, 'js/core.js');
  const wasmFile = path.join(WWW, 'psc_core.wasm');
  if (!existsSync(coreJs) || !existsSync(wasmFile)) {
    console.error(`${coreJs} or ${wasmFile} is missing: build first (./psc build)`);
    process.exit(1);
  }
  const { loadCore } = await import(pathToFileURL(coreJs).href);
  // opening.js compiles the wasm itself and hands the module to loadCore.
  const compiled = WebAssembly.compile(readFileSync(wasmFile));
  return loadCore({ compiled });
}

// --- timing --------------------------------------------------------------------------

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

// Runs `round` ROUNDS times (after one warm-up); each returns the ms it
// timed. The median is the figure; the fastest round is shown too (on a busy
// machine it is the better guide to what the code costs).
function measure(round) {
  round();
  const times = [];
  for (let i = 0; i < ROUNDS; i += 1) times.push(round());
  return { median: median(times), min: Math.min(...times) };
}

function time(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function main() {
  const core = await loadModule();
  const total = PAGES * PAGE_SIZE;
  const changes = makeWorkload(total);
  const pages = pageTexts(changes);
  const bytes = pages.reduce((sum, p) => sum + p.length, 0);
  const device = `web-${hex(16)}`;
  const fresh = () => core.newReplica(device, 'coordinator');
  const rows = [];
  const row = (name, { median: ms, min }, what) =>
    rows.push({ name, us: (ms * 1000) / total, min: (min * 1000) / total, what });

  // JSON.parse, for scale.
  if (ONLY.includes('parse')) row('JSON.parse of the page (for scale)', measure(() => time(() => { for (const p of pages) JSON.parse(p); })),
      'the engine\'s own parser: JS objects, no checks');

  // What sync.js does with a page: Replica.take (decode, held in the core), then applyPage.
  if (ONLY.includes('take') && typeof fresh().take === 'function') {
    let checked = false;
    const ms = measure(() => {
      const replica = fresh();
      let applied = 0;
      const t = time(() => {
        for (const p of pages) {
          const page = replica.take(p);
          if (page.type !== 'changes') throw new Error(`a page decoded as ${page.type}`);
          applied += replica.applyPage();
        }
      });
      if (!checked) {
        if (applied !== total || replica.appliedCount() !== total) throw new Error(`take + applyPage applied ${applied} of ${total}`);
        checked = true;
      }
      replica.dispose();
      return t;
    });
    row('**Replica.take + applyPage** (decode + apply: what sync.js does with a page)', ms,
        'the page text into the core, decoded strictly and held, then applied; the summary {cursor, more, count, own} back');
  }

  // The changes as sync.js stores them (JSON.parse of the page), for receive and push.
  const decoded = pages.map((p) => JSON.parse(p));
  if (ONLY.includes('decode')) row('decodeServerMessage (text → JS objects)', measure(() => time(() => {
    for (const p of pages) if (core.decodeServerMessage(p).changes.length !== PAGE_SIZE) throw new Error('a page did not decode');
  })),
      'strict decode in the core, changes returned as JS objects');
  if (ONLY.includes('receive')) row('Replica.receive (apply JS objects)', measure(() => {
    const replica = fresh();
    let applied = 0;
    const t = time(() => { for (const m of decoded) applied += replica.receive(m.changes); });
    if (applied !== total) throw new Error(`receive applied ${applied} of ${total}`);
    replica.dispose();
    return t;
  }), 'JS objects into the core (JSON.stringify + decode there), applied');

  // A push: the outbox's stored changes (JS objects from IndexedDB) queued in
  // the core's DeviceSync (checked strictly, kept as wire text), then cut
  // into pushes, as sync.js does at a welcome (replaceOutbox) or a commit
  // (enqueue) and in pump() (nextPush).
  const outbox = decoded.map((m) => m.changes);
  if (ONLY.includes('push')) {
    const welcome = { max_batch: PAGE_SIZE, max_message_bytes: 64 * 1024 * 1024, cursor: 0 };
    const queued = () => {
      const sync = core.newDeviceSync(0, { maxBatch: PAGE_SIZE, pushesInFlight: outbox.length });
      sync.onWelcome(welcome);
      return sync;
    };
    const drain = (sync) => {
      let pushes = 0;
      while (sync.nextPush('0123456789abcdef')) pushes += 1;
      return pushes;
    };
    const probe = queued();
    probe.enqueue(outbox[0]);
    const sample = JSON.parse(probe.nextPush('0123456789abcdef'));
    probe.dispose();
    if (sample.type !== 'push' || sample.changes.length !== outbox[0].length) throw new Error('DeviceSync made no push');
    row('**DeviceSync.enqueue + nextPush** (stored changes → push texts)', measure(() => {
      const sync = queued();
      let pushes = 0;
      const t = time(() => {
        for (const batch of outbox) sync.enqueue(batch);
        pushes = drain(sync);
      });
      sync.dispose();
      if (pushes !== outbox.length) throw new Error(`${pushes} pushes for ${outbox.length} batches`);
      return t;
    }), 'JS objects (as IndexedDB gives them) to JSON text in slices, checked strictly in the core and kept as wire text; each push their join, framed');
    row('DeviceSync.nextPush alone (queued → push text)', measure(() => {
      const sync = queued();
      for (const batch of outbox) sync.enqueue(batch);
      let pushes = 0;
      const t = time(() => { pushes = drain(sync); });
      sync.dispose();
      if (pushes !== outbox.length) throw new Error(`${pushes} pushes for ${outbox.length} batches`);
      return t;
    }), 'what a push costs once its changes are queued (a local change is queued as it is made)');
  }

  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const header = `${PAGES} pages × ${PAGE_SIZE} changes (${(bytes / 1e6).toFixed(1)} MB of page text), median of ${ROUNDS} rounds`;
  console.log(`WebAssembly core per change: ${header}`);
  console.log(`node ${process.version}, ${os.cpus().length} × ${cpu}, module ${path.relative(process.cwd(), WWW) || '.'}`);
  console.log('   median  fastest');
  for (const r of rows) console.log(`  ${r.us.toFixed(2).padStart(7)} ${r.min.toFixed(2).padStart(7)} µs  ${r.name.replace(/\*\*/g, '')}`);

  if (WRITE) {
    const file = path.join(benchDir, 'WASM_CORE.md');
    const table = [
      `### ${LABEL} (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
      '',
      `${header}; node ${process.version}; ${os.cpus().length} × ${cpu}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}.`,
      '',
      '| per change | µs (median) | µs (fastest round) | what it includes |',
      '| --- | ---: | ---: | --- |',
      ...rows.map((r) => `| ${r.name} | ${r.us.toFixed(2)} | ${r.min.toFixed(2)} | ${r.what} |`),
      '',
    ].join('\n');
    recordRun(file, 'WebAssembly core, per change', table);
    console.log(`recorded in ${path.relative(process.cwd(), file)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
