#!/usr/bin/env node
// Meeting night with the real client in the loop (issue 11, item 1).
//
//   node tests/bench/meeting_night.mjs [--scale small|full] [--workers 6] [--write] [--label text]
//                                      [--store sqlite|postgres] [--nodes 1]
//                                      [--profile-worker 0] [--live-seconds 20] [--live-interval-ms 200]
//                                      [--timeout-s 300] [--keep-data] [--server-args '--compression-level 0']
//
// A fresh real psc-server (build/server/psc-server, temporary data folder,
// loopback port 0) and, as every tablet, a replica of the browser's own
// WebAssembly core (build/www/psc_core.mjs + .wasm) loaded through
// build/www/js/core.js the way web/js/opening.js + sync.js load it, hosted in
// --workers Node processes (child_process.fork of this file). Each tablet
// speaks the real protocol over its own WebSocket (`ws`) and does with every
// server message what web/js/sync.js does: Replica.take(text); for a page,
// JSON.parse(text) (what sync.js stores in IndexedDB) and applyPage(); the
// outbox, pushes, acks and cursor are core.js's DeviceSync (psc::DeviceSync,
// the state machine sync.js and psc-load run): every local change queued as
// it is made, the stored outbox queued again at each welcome (as sync.js
// does), pushes cut by the core, one in flight until its ack.
// Left out: IndexedDB, the BroadcastChannel to other tabs, the UI.
//
// Full scale (issue 11): 17 neighborhoods x 6 tablets on organizer accounts
// (one per neighborhood), 50 shared priorities per neighborhood seeded and
// caught up by every tablet; offline, each tablet creates 200 priorities (7
// field changes each) and makes 100 edits of shared priorities (status or
// title; the core's setField names the leaves the tablet saw as `base`);
// then all reconnect at once. The timed phase runs from the reconnect order
// until the last tablet has every change of its neighborhood applied in its
// replica (its applied count reaches what it held before plus everything its
// neighborhood's tablets authored) and its outbox is acknowledged. Then,
// untimed: each replica's canonical state (the core's Replica::to_json, via
// the embind Device.state() that core.js's Replica wraps) is hashed and
// compared within each neighborhood and with a fresh tablet per neighborhood
// that catches up from cursor 0. Then the live phase: one tablet per
// neighborhood edits a shared priority's title every --live-interval-ms for
// --live-seconds; each of the other tablets of that neighborhood records when
// the value shows in its own replica (after applyPage, checked with
// Replica.record). Times are process.hrtime (CLOCK_MONOTONIC on Linux: one
// clock for every process of the machine). Finally the server is stopped
// with SIGTERM and its data folder measured.
//
// --store postgres (issue 13): the changes and the accounts in a throw-away
// PostgreSQL (tests/support/postgres.mjs) instead of SQLite; --nodes N
// starts N psc-servers sharing it, and each neighborhood's tablets are spread
// over the nodes round robin, so live edits travel between nodes. Added
// figures: the servers' commit latency (psc_commit_seconds from each node's
// /metrics, read before and after the night), each tablet's push -> ack
// time, live arrivals split by same/other node than the editor's,
// PostgreSQL's CPU (the postmaster and its children) and its database size.
//
// --scale small (3 neighborhoods x 3 tablets, 10 shared, 40 + 20 per tablet,
// 2 workers, 3 s live) is a quick check of the machinery (< 30 s).
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFile, execFileSync } from 'node:child_process';

import { args, benchDir, CATEGORIES, hartford, option, recordRun, root } from './support.mjs';

const IS_WORKER = args.includes('--worker');
// Extra psc-server flags, e.g. --server-args '--compression-level 0'.
const SERVER_ARGS = (option('server-args', '') || '').split(' ').filter(Boolean);

// ws lives in tests/node_modules (the project's pinned test packages).
const { default: WebSocket } = await import(pathToFileURL(path.join(root, 'tests/node_modules/ws/index.js')).href);

// One clock for every process: uv_hrtime is CLOCK_MONOTONIC, system-wide on Linux.
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

// --- the workload's values ----------------------------------------------------------

const STATUSES = ['proposed', 'adopted', 'in_progress', 'resolved'];
const DEPARTMENTS = ['police', 'public-works', 'licenses-inspections', 'health-human-services', 'parks-recreation',
  'blight-remediation', 'fire'];
const STREETS = ['Park St', 'Broad St', 'Zion St', 'Washington St', 'Capitol Ave', 'Main St', 'Wethersfield Ave',
  'Albany Ave', 'Farmington Ave', 'Franklin Ave'];

function rng(seed) {
  let s = (seed >>> 0) || 0x2545f491;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

function priorityFields(random, neighborhood) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const number = 100 + Math.floor(random() * 900);
  return {
    title: `${pick(CATEGORIES).replace(/_/g, ' ')} near ${number} ${pick(STREETS)}`,
    description: 'Residents raise this at every meeting; the block club has asked the city twice since spring.',
    category: pick(CATEGORIES),
    status: 'proposed',
    neighborhood,
    address: `${number} ${pick(STREETS)}`,
    department: pick(DEPARTMENTS),
  };
}

// --- the module, as the web app loads it ---------------------------------------------

async function loadWebCore(www) {
  const coreJs = path.join(www, 'js/core.js');
  const wasmFile = path.join(www, 'psc_core.wasm');
  if (!existsSync(coreJs) || !existsSync(wasmFile))
    throw new Error(`${coreJs} or ${wasmFile} is missing: build first (./psc build)`);
  const { loadCore } = await import(pathToFileURL(coreJs).href);
  // opening.js compiles the wasm itself and hands the module to loadCore.
  return loadCore({ compiled: WebAssembly.compile(readFileSync(wasmFile)) });
}

// --- a tablet: web/js/sync.js's protocol work, without IndexedDB ------------------------

const MAX_BATCH = 500;  // web/js/sync.js

function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

class Tablet {
  constructor(core, spec) {
    this.core = core;
    Object.assign(this, spec);  // device, token, actor, neighborhood, index, slot, node, wsUrl
    this.replica = core.newReplica(spec.device, spec.actor);
    this.outbox = [];            // wire-form changes, as IndexedDB's outbox holds them
    this.deviceSync = core.newDeviceSync(0, { maxBatch: MAX_BATCH });
    this.epoch = '';
    this.welcomed = false;
    this.stats = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0, pages: 0, changesIn: 0, applied: 0,
                   rejected: 0, errors: [] };
    this.onPage = null;          // (page, changes, appliedAtMs) after each applied page
    this.onProgress = null;      // after each page or ack
    // Push -> ack, per push: one push is in flight at a time, so the ack
    // handled next is this push's.
    this.pushSentAt = null;
    this.ackMs = [];
  }

  get cursor() { return this.deviceSync.cursor; }
  // Nothing waiting or awaiting its ack.
  get settled() { return this.deviceSync.unacknowledged === 0; }

  connect(url) {
    this.welcomed = false;
    this.pushSentAt = null;  // a push in flight is sent again after the welcome
    this.deviceSync.onConnectionLost();
    this.ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    this.caughtUp = new Promise((resolve, reject) => { this.resolveCaughtUp = resolve; this.rejectCaughtUp = reject; });
    this.caughtUp.catch(() => {});
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
    this.ws.on('open', () => {
      this.sendText(this.core.encodeHello(this.device, this.token, this.cursor, this.outbox.length, this.epoch));
    });
    this.ws.on('message', (data) => {
      this.stats.bytesIn += data.length;
      this.stats.messagesIn += 1;
      this.onMessage(data.toString());
    });
    this.ws.on('error', (error) => this.stats.errors.push(`socket: ${error.message}`));
    this.ws.on('close', () => {
      this.welcomed = false;
      this.deviceSync.onConnectionLost();
      this.rejectCaughtUp?.(new Error(`${this.device}: socket closed before catch-up ended`));
    });
    return this.opened;
  }

  // Payload bytes both ways, and what the sockets carried (frames + HTTP upgrade).
  socketBytes() {
    const s = this.ws?._socket;
    return s ? { read: s.bytesRead, written: s.bytesWritten } : { read: 0, written: 0 };
  }

  sendText(text) {
    this.stats.bytesOut += Buffer.byteLength(text);
    this.stats.messagesOut += 1;
    this.ws.send(text);
  }

  close() {
    return new Promise((resolve) => {
      if (!this.ws || this.ws.readyState === WebSocket.CLOSED) return resolve();
      const timer = setTimeout(() => { this.ws.terminate(); resolve(); }, 2000);
      this.ws.once('close', () => { clearTimeout(timer); resolve(); });
      this.ws.close(1000, 'bench');
    });
  }

  // sync.js onMessage: every message goes to the core whole.
  onMessage(text) {
    let message;
    try {
      message = this.replica.take(text);
    } catch (error) {
      this.stats.errors.push(`take: ${error.code} ${error.message}`);
      return;
    }
    switch (message.type) {
      case 'welcome': return this.onWelcome(message);
      case 'changes': return this.onChanges(message, text);
      case 'ack': return this.onAck(message);
      case 'error': this.stats.errors.push(`server: ${message.code} ${message.message}`); return undefined;
      default: return undefined;
    }
  }

  onWelcome(welcome) {
    this.welcomed = true;
    this.replica.setClockOffset(welcome.server_time - Date.now());
    this.deviceSync.onWelcome(welcome);
    if (welcome.epoch) this.epoch = welcome.epoch;
    this.deviceSync.replaceOutbox(this.outbox);  // sync.js: the outbox as IndexedDB holds it
    this.pump();
  }

  onChanges(page, text) {
    // sync.js parses the same text to store the page in IndexedDB before
    // applying it; the parse is kept, the store is not.
    const { changes } = JSON.parse(text);
    this.deviceSync.onPage(page.cursor, page.more, changes.length);
    const applied = this.replica.applyPage();
    const at = nowMs();
    this.stats.pages += 1;
    this.stats.changesIn += changes.length;
    this.stats.applied += applied;
    this.onPage?.(page, changes, at);
    if (!page.more) this.resolveCaughtUp?.();
    this.onProgress?.();
  }

  onAck(ack) {
    if (this.pushSentAt !== null) this.ackMs.push(nowMs() - this.pushSentAt);
    this.pushSentAt = null;
    this.deviceSync.onAck(ack);
    // storage.applyAck: acknowledged and refused changes leave the stored outbox.
    const done = new Set(ack.accepted);
    for (const r of ack.rejected) {
      done.add(r.change);
      this.stats.rejected += 1;
      if (this.stats.errors.length < 5) this.stats.errors.push(`rejected: ${r.change} ${r.code} ${r.message}`);
    }
    this.outbox = this.outbox.filter((c) => !done.has(c.id));
    this.onProgress?.();
    this.pump();
  }

  // sync.js pump(): the next push the core cuts, if none awaits its ack.
  pump() {
    if (!this.welcomed) return;
    const text = this.deviceSync.nextPush(randomHex(8), this.actor);
    if (!text) return;
    this.pushSentAt = nowMs();  // the push is encoded; from here to its ack
    this.sendText(text);
  }

  // A local edit made in the replica: stored and queued (sync.js commit()).
  store(changes) {
    this.outbox.push(...changes);
    this.deviceSync.enqueue(changes);
  }

  // The same, then pumped.
  local(changes) {
    this.store(changes);
    this.pump();
  }

  digest() {
    const state = this.replica.stateText();  // Replica::to_json, canonical
    const parsed = JSON.parse(state);
    // {type: {id: record}}
    const records = Object.values(parsed).reduce((n, byId) => n + Object.keys(byId).length, 0);
    return { sha256: createHash('sha256').update(state).digest('hex'), bytes: state.length, records,
             applied: this.replica.appliedCount(), conflicts: this.replica.conflictCount() };
  }
}

// --- worker process --------------------------------------------------------------------

async function workerMain() {
  let core = null;
  let tablets = [];
  let profiler = null;
  let finishNight = null;  // ends the night's timed phase (also when the orchestrator gives up)
  const send = (message) => process.send(message);
  process.on('disconnect', () => process.exit(0));

  const totals = () => {
    const t = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0, pages: 0, changesIn: 0, applied: 0,
                rejected: 0, socketRead: 0, socketWritten: 0 };
    for (const tablet of tablets) {
      for (const k of Object.keys(tablet.stats)) if (typeof tablet.stats[k] === 'number') t[k] += tablet.stats[k];
      const s = tablet.socketBytes();
      t.socketRead += s.read;
      t.socketWritten += s.written;
    }
    return t;
  };
  const errors = () => tablets.flatMap((t) => t.stats.errors.map((e) => `${t.device}: ${e}`)).slice(0, 10);
  // newSockets: the counts start with sockets not yet opened.
  const resetStats = (newSockets) => {
    for (const t of tablets) {
      const errs = t.stats.errors;
      t.stats = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0, pages: 0, changesIn: 0, applied: 0,
                  rejected: 0, errors: errs };
      t.ackMs = [];
      t.socketBase = newSockets ? { read: 0, written: 0 } : t.socketBytes();
    }
  };
  const socketDelta = () => {
    let read = 0, written = 0;
    for (const t of tablets) {
      const s = t.socketBytes();
      read += s.read - (t.socketBase?.read ?? 0);
      written += s.written - (t.socketBase?.written ?? 0);
    }
    return { read, written };
  };

  process.on('message', async (message) => {
    try {
      switch (message.cmd) {
        case 'init': {
          core = await loadWebCore(message.www);
          tablets = message.tablets.map((spec) => new Tablet(core, spec));
          // Every tablet catches up the shared priorities, then goes offline.
          await Promise.all(tablets.map(async (t) => {
            await t.connect(t.wsUrl);  // the tablet's node
            await t.caughtUp;
          }));
          await Promise.all(tablets.map((t) => t.close()));
          send({ cmd: 'ready', held: tablets.map((t) => t.replica.appliedCount()), errors: errors() });
          break;
        }
        case 'author': {
          const started = nowMs();
          const { priorities, edits, shared } = message;
          for (const t of tablets) {
            const random = rng(0x9e3779b9 ^ (t.index * 2654435761));
            const sharedIds = shared[t.neighborhood];
            const editEvery = edits > 0 ? priorities / edits : Infinity;
            let made = 0;
            for (let i = 0; i < priorities; i += 1) {
              t.store(t.replica.create('priority', priorityFields(random, t.neighborhood)).changes);
              while (made < edits && (i + 1) >= (made + 1) * editEvery) {
                const id = sharedIds[Math.floor(random() * sharedIds.length)];
                const status = random() < 0.6;
                const value = status ? STATUSES[Math.floor(random() * STATUSES.length)]
                  : `${CATEGORIES[Math.floor(random() * CATEGORIES.length)].replace(/_/g, ' ')}, raised again by tablet ${t.slot + 1}`;
                t.store([t.replica.setField('priority', id, status ? 'status' : 'title', value)]);
                made += 1;
              }
            }
          }
          send({ cmd: 'authored', changes: tablets.map((t) => t.outbox.length), ms: nowMs() - started });
          break;
        }
        case 'go': {
          // Meeting night: everyone reconnects at once and pushes its outbox.
          resetStats(true);
          if (message.profile) {
            const inspector = await import('node:inspector');
            profiler = new inspector.Session();
            profiler.connect();
            const post = (method, params) => new Promise((resolve, reject) =>
              profiler.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
            profiler.postAsync = post;
            await post('Profiler.enable');
            await post('Profiler.setSamplingInterval', { interval: 200 });
            await post('Profiler.start');
          }
          const cpu0 = process.cpuUsage();
          const targets = message.targets;  // neighborhood -> applied count when complete
          let remaining = tablets.length;
          let finished = false;
          const finish = async () => {
            if (finished) return;
            finished = true;
            const cpu = process.cpuUsage(cpu0);
            const at = nowMs();
            let profile = null;
            if (profiler) {
              const { profile: p } = await profiler.postAsync('Profiler.stop');
              profile = p;
            }
            send({ cmd: 'converged', at, cpu, totals: totals(), socket: socketDelta(),
                   extensions: [...new Set(tablets.map((t) => t.ws?.extensions || 'none'))],
                   tablets: tablets.map((t) => ({ device: t.device, neighborhood: t.neighborhood, doneAt: t.doneAt,
                                                  lastAckAt: t.lastAckAt, pages: t.stats.pages,
                                                  applied: t.replica.appliedCount(), target: targets[t.neighborhood] })),
                   ackMs: tablets.flatMap((t) => t.ackMs), errors: errors(), profile });
          };
          for (const t of tablets) {
            t.doneAt = null;
            t.lastAckAt = null;
            const target = targets[t.neighborhood];
            t.onProgress = () => {
              if (t.settled && t.lastAckAt === null) t.lastAckAt = nowMs();
              if (t.doneAt !== null) return;
              if (t.settled && t.replica.appliedCount() >= target) {
                t.doneAt = nowMs();
                t.onProgress = null;
                remaining -= 1;
                if (remaining === 0) finish();
              }
            };
          }
          finishNight = finish;
          const delay = Math.max(0, message.startAt - nowMs());
          setTimeout(() => {
            for (const t of tablets) t.connect(t.wsUrl).catch((e) => t.stats.errors.push(`connect: ${e.message}`));
          }, delay);
          break;
        }
        case 'give-up': {
          // The night stalled (see the orchestrator): end it with what the tablets hold.
          finishNight?.();
          break;
        }
        case 'status': {
          send({ cmd: 'status', tablets: tablets.map((t) => ({ device: t.device, applied: t.replica.appliedCount(),
            outbox: t.outbox.length, inflight: t.deviceSync.inFlight > 0, welcomed: t.welcomed, cursor: t.cursor, doneAt: t.doneAt })),
            errors: errors() });
          break;
        }
        case 'digest': {
          send({ cmd: 'digests', digests: tablets.map((t) => ({ device: t.device, neighborhood: t.neighborhood,
                                                                ...t.digest() })) });
          break;
        }
        case 'live': {
          // One editor per neighborhood at human pace; everyone else notes
          // when each edit shows in its own replica.
          resetStats(false);
          const cpu0 = process.cpuUsage();
          const edits = [];
          const seen = [];
          for (const t of tablets) {
            t.onProgress = null;
            t.onPage = (page, changes, at) => {
              for (const c of changes) {
                if (c.field !== 'title' || c.device === t.device || typeof c.value !== 'string' || !c.value.startsWith('live '))
                  continue;
                const shown = t.replica.record('priority', c.record)?.fields?.title === c.value;
                seen.push({ id: c.id, at, shown, tablet: t.device, node: t.node });
              }
            };
          }
          const editors = tablets.filter((t) => message.editors.includes(t.device));
          const timers = [];
          for (const t of editors) {
            const { record, offsetMs } = message.editors_detail[t.device];
            let n = 0;
            const edit = () => {
              if (n >= message.count) return;
              n += 1;
              const at = nowMs();
              const change = t.replica.setField('priority', record, 'title', `live ${n} from ${t.device}`);
              edits.push({ id: change.id, at, neighborhood: t.neighborhood, node: t.node });
              t.local([change]);
            };
            const startIn = Math.max(0, message.startAt + offsetMs - nowMs());
            timers.push(setTimeout(() => {
              edit();
              const timer = setInterval(() => { edit(); if (n >= message.count) clearInterval(timer); }, message.intervalMs);
              timers.push(timer);
            }, startIn));
          }
          setTimeout(() => {
            for (const t of tablets) t.onPage = null;
            send({ cmd: 'live-done', edits, seen, cpu: process.cpuUsage(cpu0), totals: totals(), socket: socketDelta(),
                   ackMs: tablets.flatMap((t) => t.ackMs), errors: errors() });
          }, Math.max(0, message.endAt - nowMs()));
          break;
        }
        case 'stop': {
          await Promise.all(tablets.map((t) => t.close()));
          send({ cmd: 'stopped', cpuTotal: process.cpuUsage(), maxRss: process.resourceUsage().maxRSS });
          setTimeout(() => process.exit(0), 100);
          break;
        }
        default:
          break;
      }
    } catch (error) {
      send({ cmd: 'failed', error: error.stack ?? String(error) });
    }
  });
  send({ cmd: 'hello' });
}


// --- orchestrator ----------------------------------------------------------------------

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function procStat(pid) {
  // utime, stime in clock ticks; per thread too (comm names the server's threads).
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const read = (file) => {
    const text = readFileSync(file, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    return { comm, cpu: (Number(fields[11]) + Number(fields[12])) / ticks };
  };
  const whole = read(`/proc/${pid}/stat`);
  const threads = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const t = read(`/proc/${pid}/task/${tid}/stat`);
      threads[t.comm] = (threads[t.comm] ?? 0) + t.cpu;
    } catch { /* thread ended */ }
  }
  return { cpu: whole.cpu, threads };
}

function procStatus(pid, key) {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function folderBytes(dir) {
  let apparent = 0, allocated = 0;
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = folderBytes(p);
      apparent += sub.apparent; allocated += sub.allocated; files.push(...sub.files);
    } else {
      const s = statSync(p);
      apparent += s.size; allocated += s.blocks * 512;
      files.push({ name: path.relative(dir, p), bytes: s.size });
    }
  }
  return { apparent, allocated, files };
}

const execFileAsync = (file, argv) => new Promise((resolve, reject) =>
  execFile(file, argv, { encoding: 'utf8' }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout))));

async function inParallel(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

// --- the store and its nodes ---------------------------------------------------------------

// SQLite: one psc-server on its own data folder (the default). PostgreSQL: a
// throw-away PostgreSQL (tests/support/postgres.mjs) and `nodes` psc-servers,
// each with its own data folder and port, sharing its database. `admin(...)`
// runs the admin CLI against the same accounts (with --store for PostgreSQL:
// tokens are valid on every node). Nodes are started one after the other so
// the first creates the schema and seeds Hartford alone.
async function startBackend({ store, nodes, serverArgs, startServer, serverBinary }) {
  let pg = null;
  let storeArgs = [];
  if (store === 'postgres') {
    // The servers and the admin CLI (libpq) inherit this: PostgreSQL keeps its
    // NOTICEs ("relation ... already exists, skipping") to itself instead of
    // the admin CLI printing them on the bench's stderr.
    process.env.PGOPTIONS = `${process.env.PGOPTIONS ?? ''} -c client_min_messages=warning`.trim();
    const { startPostgres } = await import(pathToFileURL(path.join(root, 'tests/support/postgres.mjs')).href);
    pg = await startPostgres();
    pg.postmasterPid = Number(readFileSync(path.join(pg.psql('SHOW data_directory').trim(), 'postmaster.pid'), 'utf8')
      .split('\n')[0]);
    storeArgs = ['--store', pg.uri];
  }
  const started = [];
  for (let i = 0; i < nodes; i += 1) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `psc-meeting-night-${i}-`));
    started.push({ index: i, dataDir, server: await startServer({ dataDir, args: [...serverArgs, ...storeArgs] }) });
  }
  const admin = (command, ...rest) =>
    execFileAsync(serverBinary, ['admin', command, '--data', started[0].dataDir, ...storeArgs, ...rest]);
  return { store, pg, nodes: started, admin };
}

// A node's /metrics (Prometheus text) as {"name{labels}": value}.
async function scrapeMetrics(node) {
  const response = await fetch(`${node.server.url}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics on node ${node.index}: ${response.status}`);
  const samples = {};
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples[line.slice(0, at)] = Number(line.slice(at + 1));
  }
  return samples;
}

// One histogram out of scraped samples: its buckets' upper bounds (`le`, in
// the metric's unit: seconds for psc_commit_seconds) with cumulative counts,
// its sum and its count.
function histogramOf(samples, name) {
  const buckets = Object.entries(samples)
    .map(([key, value]) => [/^(\w+)_bucket\{le="([^"]+)"\}$/.exec(key), value])
    .filter(([m]) => m && m[1] === name)
    .map(([m, value]) => ({ le: m[2] === '+Inf' ? Infinity : Number(m[2]), cumulative: value }))
    .sort((a, b) => a.le - b.le);
  return { buckets, sum: samples[`${name}_sum`] ?? 0, count: samples[`${name}_count`] ?? 0 };
}

// after - before, bucket by bucket (the same server, the same bounds).
const histogramDelta = (before, after) => ({
  buckets: after.buckets.map((b, i) => ({ le: b.le, cumulative: b.cumulative - (before.buckets[i]?.cumulative ?? 0) })),
  sum: after.sum - before.sum,
  count: after.count - before.count,
});

// Several nodes' histograms as one (same bounds).
const histogramSum = (list) => list.reduce((a, h) => ({
  buckets: h.buckets.map((b, i) => ({ le: b.le, cumulative: b.cumulative + (a.buckets[i]?.cumulative ?? 0) })),
  sum: a.sum + h.sum,
  count: a.count + h.count,
}), { buckets: [], sum: 0, count: 0 });

// The q-quantile estimated from the buckets the way Prometheus's
// histogram_quantile does: find the bucket holding rank q·count and
// interpolate linearly inside it (so the estimate is only as fine as that
// bucket). Also returns the bucket's bounds.
function histogramQuantile(h, q) {
  if (h.count === 0) return { value: NaN, lower: NaN, upper: NaN };
  const rank = q * h.count;
  let lower = 0, below = 0;
  for (const b of h.buckets) {
    if (b.cumulative >= rank) {
      if (b.le === Infinity) return { value: lower, lower, upper: Infinity };
      const inBucket = b.cumulative - below;
      const value = inBucket > 0 ? lower + ((b.le - lower) * (rank - below)) / inBucket : b.le;
      return { value, lower, upper: b.le };
    }
    lower = b.le;
    below = b.cumulative;
  }
  return { value: NaN, lower: NaN, upper: NaN };
}

// psc_commit_seconds over the phase, all nodes together and each node:
// count, mean and p50/p99 (estimated from the buckets), in ms; and the
// pushes per group and the changes each node took in from the others.
function commitFigures(before, after) {
  const perNode = after.map((samples, i) => {
    const seconds = histogramDelta(histogramOf(before[i], 'psc_commit_seconds'), histogramOf(samples, 'psc_commit_seconds'));
    const pushes = histogramDelta(histogramOf(before[i], 'psc_commit_group_pushes'), histogramOf(samples, 'psc_commit_group_pushes'));
    const fromOthers = (samples.psc_changes_from_other_servers_total ?? 0) - (before[i].psc_changes_from_other_servers_total ?? 0);
    return { seconds, pushes, fromOthers };
  });
  const summary = (h, pushes) => {
    const p50 = histogramQuantile(h, 0.5), p99 = histogramQuantile(h, 0.99);
    return { groups: h.count, mean_ms: (h.sum / h.count) * 1000, busy_s: h.sum,
             p50_ms: p50.value * 1000, p50_bucket_ms: [p50.lower * 1000, p50.upper * 1000],
             p99_ms: p99.value * 1000, p99_bucket_ms: [p99.lower * 1000, p99.upper * 1000],
             pushes_per_group: pushes.sum / pushes.count };
  };
  return {
    all: summary(histogramSum(perNode.map((n) => n.seconds)), histogramSum(perNode.map((n) => n.pushes))),
    nodes: perNode.map((n) => ({ ...summary(n.seconds, n.pushes), changes_from_other_servers: n.fromOthers })),
  };
}

// Waits until every node has published the same last sequence (a node learns
// of the others' commits by LISTEN/NOTIFY), so a tablet catching up on any
// node finds the seeding there.
async function nodesAgree(nodes, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const heads = (await Promise.all(nodes.map(scrapeMetrics))).map((m) => m.psc_sequence);
    if (new Set(heads).size === 1) return heads[0];
    if (Date.now() > deadline) throw new Error(`the nodes do not agree on the last sequence: ${heads.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The psc-server nodes' CPU (utime + stime, s) and per-thread CPU summed by
// thread name over the nodes.
function serversStat(nodes) {
  const out = { cpu: 0, threads: {}, nodes: [] };
  for (const node of nodes) {
    const s = procStat(node.server.child.pid);
    out.cpu += s.cpu;
    out.nodes.push(s.cpu);
    for (const [name, cpu] of Object.entries(s.threads)) out.threads[name] = (out.threads[name] ?? 0) + cpu;
  }
  return out;
}

// PostgreSQL's processes: the postmaster and every process whose parent it
// is (backends, one per connection, and the checkpointer, WAL writer,
// background writer, autovacuum...), by pid: utime + stime (s) and what it is
// (the process title after "postgres: "; client backends as "backends").
function postgresProcesses(postmasterPid) {
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const out = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      if (pid !== postmasterPid && Number(fields[1]) !== postmasterPid) continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
      const kind = pid === postmasterPid ? 'postmaster'
        : /^postgres: \S+ \S+ \d+\.\d+\.\d+\.\d+\(/.test(title) ? 'backends'
        : title.replace(/^postgres: /, '').replace(/\s+$/, '');
      out.set(pid, { cpu: (Number(fields[11]) + Number(fields[12])) / ticks, kind });
    } catch { /* the process ended meanwhile */ }
  }
  return out;
}

// CPU PostgreSQL's processes used between two postgresProcesses() readings.
// A process that ended in between is not counted (none is expected: the
// nodes keep their connections); one that started in between counts whole.
function postgresCpuDelta(before, after) {
  const byKind = {};
  let total = 0;
  for (const [pid, p] of after) {
    const cpu = p.cpu - (before.get(pid)?.cpu ?? 0);
    total += cpu;
    byKind[p.kind] = (byKind[p.kind] ?? 0) + cpu;
  }
  const ended = [...before.keys()].filter((pid) => !after.has(pid)).length;
  return { cpu_s: total, by_kind_s: byKind, processes: after.size, ended };
}

// The database's size after the run, and what it is made of: each table of
// the public schema with its TOAST and indexes (the change log psc_changes;
// psc_snapshots, the servers' validation snapshots: one kept, the replaced
// ones' space not reclaimed until a VACUUM; accounts, tokens, custody, names,
// the counter and meta), and PostgreSQL's own catalogs (the rest; ~8 MB in
// any fresh database). Not the WAL.
function postgresSize(pg) {
  const database = Number(pg.psql('SELECT pg_database_size(current_database())').trim());
  const tables = Object.fromEntries(pg.psql(`
    SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r'`).trim().split('\n').map((line) => line.split('|'))
    .map(([name, bytes]) => [name, Number(bytes)]));
  const [changesIndexes, rows] = pg.psql("SELECT pg_indexes_size('psc_changes'), (SELECT count(*) FROM psc_changes)")
    .trim().split('|').map(Number);
  const all = Object.values(tables).reduce((a, b) => a + b, 0);
  const snapshots = tables.psc_snapshots ?? 0;
  return { database, tables, changes: tables.psc_changes, changes_indexes: changesIndexes, snapshots,
           other_tables: all - tables.psc_changes - snapshots, catalogs: database - all, rows };
}

// Bytes of WAL PostgreSQL has written so far (the cluster's, all databases).
const walBytes = (pg) => Number(pg.psql("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')").trim());

const mb = (bytes) => (bytes / 1e6).toFixed(1);
const mib = (bytes) => (bytes / 1048576).toFixed(1);
const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
// A quantile estimated from buckets, in ms: beyond the last bound it is only "> bound".
const quantile = (ms, [lower, upper]) => (Number.isFinite(upper) ? fmt(ms, 1) : `> ${fmt(lower, 0)}`);
// A histogram bucket's bounds, (lower, upper], in ms.
const bucket = ([lower, upper]) => `(${fmt(lower, 1).replace(/\.0$/, '')}, ${Number.isFinite(upper) ? fmt(upper, 1).replace(/\.0$/, '') : '∞'}]`;
// What a run ran on: "SQLite", "PostgreSQL", "PostgreSQL × 3 nodes".
const storeName = (result) => `${result.store === 'postgres' ? 'PostgreSQL' : 'SQLite'}${result.nodes > 1 ? ` × ${result.nodes} nodes` : ''}`;

async function main() {
  const SCALE = option('scale', 'full');
  const small = SCALE === 'small';
  const W = {
    neighborhoods: Number(option('neighborhoods', small ? 3 : hartford.neighborhoods.length)),
    tablets: Number(option('tablets', small ? 3 : 6)),
    shared: Number(option('shared', small ? 10 : 50)),
    priorities: Number(option('priorities', small ? 40 : 200)),
    edits: Number(option('edits', small ? 20 : 100)),
    workers: Number(option('workers', small ? 2 : 6)),
    liveSeconds: Number(option('live-seconds', small ? 3 : 20)),
    liveIntervalMs: Number(option('live-interval-ms', 200)),
    // How long nothing may be applied, every outbox acknowledged, before the
    // night counts as stalled (see the watcher below); and how often to look.
    stallMs: small ? 5000 : 15000,
    statusEveryMs: small ? 1000 : 5000,
  };
  const TIMEOUT_S = Number(option('timeout-s', small ? 60 : 300));
  // Where the changes (and accounts) live, and how many psc-server nodes share them.
  const STORE = option('store', 'sqlite');
  const NODES = Number(option('nodes', 1));
  if (!['sqlite', 'postgres'].includes(STORE)) throw new Error(`--store ${STORE}: sqlite or postgres`);
  if (!(NODES >= 1)) throw new Error(`--nodes ${option('nodes')}: at least 1`);
  if (NODES > 1 && STORE !== 'postgres') throw new Error('--nodes > 1 needs --store postgres (nodes share one database)');
  const PROFILE_WORKER = option('profile-worker', null);
  const WWW = path.resolve(option('www', path.join(root, 'build/www')));
  const BUILD = path.resolve(option('build', path.join(root, 'build')));
  process.env.PSC_BUILD_DIR = BUILD;
  const { startServer, serverBinary } = await import(pathToFileURL(path.join(root, 'tests/support/server.mjs')).href);
  const slugs = hartford.neighborhoods.map((n) => n.slug).slice(0, W.neighborhoods);

  const log = (...m) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...m);
  const loadBefore = os.loadavg();
  const uptimeBefore = execFileSync('uptime', { encoding: 'utf8' }).trim();
  log(`uptime before: ${uptimeBefore}`);

  // A watchdog: the benchmark always ends.
  const children = [];
  let backend = null;
  const watchdog = setTimeout(() => {
    console.error(`meeting_night: no result after ${TIMEOUT_S} s; stopping`);
    // What the servers said last, to see why.
    for (const node of backend?.nodes ?? [])
      console.error(`node ${node.index}'s log, last lines:\n${node.server.output().trim().split('\n').slice(-15).join('\n')}`);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const node of backend?.nodes ?? []) node.server.child.kill('SIGKILL');
    // PostgreSQL's immediate shutdown (its temporary folder stays behind).
    if (backend?.pg) try { process.kill(backend.pg.postmasterPid, 'SIGQUIT'); } catch { /* gone */ }
    process.exit(2);
  }, TIMEOUT_S * 1000);
  watchdog.unref();

  backend = await startBackend({ store: STORE, nodes: NODES, serverArgs: SERVER_ARGS, startServer, serverBinary });
  const { nodes } = backend;
  if (backend.pg) log(`PostgreSQL (postmaster pid ${backend.pg.postmasterPid}) at ${backend.pg.uri}`);
  for (const node of nodes)
    log(`psc-server node ${node.index} pid ${node.server.child.pid} on ${node.server.wsUrl}, data ${node.dataDir}`);

  // Accounts: one organizer per neighborhood.
  const setupStart = nowMs();
  const organizer = (slug) => `organizer-${slug}`;
  await inParallel(slugs, 2, (slug) => backend.admin('create-account',
    '--username', organizer(slug), '--role', 'organizer', '--neighborhood', slug, '--department', '',
    '--password', 'organizer-password-1'));
  const issue = (device, account) => backend.admin('issue-token', '--username', account, '--device', device)
    .then((out) => out.trim().split(' ')[1]);
  // Round robin, shifted by one per neighborhood: a neighborhood's tablets are
  // spread over the nodes (so live edits reach tablets on other nodes) and
  // every node gets its share of tablets.
  const nodeOf = (neighborhoodIndex, slot) => nodes[(neighborhoodIndex + slot) % nodes.length];
  const specs = [];
  for (let n = 0; n < slugs.length; n += 1)
    for (let s = 0; s < W.tablets; s += 1)
      specs.push({ index: specs.length, slot: s, neighborhood: slugs[n], actor: organizer(slugs[n]),
                   device: `tablet-${slugs[n]}-${s + 1}-${randomHex(3)}`,
                   node: nodeOf(n, s).index, wsUrl: nodeOf(n, s).server.wsUrl });
  await inParallel(specs, 4, async (spec) => { spec.token = await issue(spec.device, spec.actor); });
  log(`${slugs.length} organizer accounts, ${specs.length} device tokens in ${fmt((nowMs() - setupStart) / 1000, 1)} s`);

  // The shared priorities, pushed by one more tablet per neighborhood.
  const core = await loadWebCore(WWW);
  const shared = {};
  await Promise.all(slugs.map(async (slug, n) => {
    const spec = { device: `seed-${slug}-${randomHex(3)}`, actor: organizer(slug), neighborhood: slug, index: 1000 + n, slot: -1 };
    spec.token = await issue(spec.device, spec.actor);
    const t = new Tablet(core, spec);
    const random = rng(0x51ed + n);
    shared[slug] = [];
    // The neighborhood's own record comes first (a priority refers to it).
    await t.connect(nodes[n % nodes.length].server.wsUrl);
    await t.caughtUp;
    for (let i = 0; i < W.shared; i += 1) {
      const created = t.replica.create('priority', priorityFields(random, slug));
      shared[slug].push(created.id);
      t.store(created.changes);
    }
    t.pump();
    const deadline = Date.now() + 30000;
    while (!t.settled && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (t.outbox.length > 0 || t.stats.rejected > 0) throw new Error(`seeding ${slug} failed: ${t.stats.errors.join('; ')}`);
    await t.close();
    t.replica.dispose();
  }));
  log(`seeded ${W.shared} shared priorities in each of ${slugs.length} neighborhoods`);
  if (nodes.length > 1) log(`every node at sequence ${await nodesAgree(nodes)}`);

  // The workers, each hosting every W.workers-th tablet.
  const workers = [];
  for (let w = 0; w < W.workers; w += 1) {
    const child = fork(fileURLToPath(import.meta.url), ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    const worker = { child, index: w, tablets: specs.filter((s) => s.index % W.workers === w), inbox: [], waiters: [] };
    child.on('message', (m) => {
      if (m.cmd === 'failed') { console.error(`worker ${w} failed:\n${m.error}`); process.exitCode = 1; }
      const i = worker.waiters.findIndex((x) => x.cmd === m.cmd);
      if (i >= 0) worker.waiters.splice(i, 1)[0].resolve(m); else worker.inbox.push(m);
    });
    child.on('exit', (code) => { if (code && !worker.stopping) console.error(`worker ${w} exited with ${code}`); });
    workers.push(worker);
  }
  const expect = (worker, cmd) => {
    const i = worker.inbox.findIndex((m) => m.cmd === cmd);
    if (i >= 0) return Promise.resolve(worker.inbox.splice(i, 1)[0]);
    return new Promise((resolve) => worker.waiters.push({ cmd, resolve }));
  };
  const all = (cmd) => Promise.all(workers.map((w) => expect(w, cmd)));
  await all('hello');
  for (const w of workers) w.child.send({ cmd: 'init', www: WWW, tablets: w.tablets });
  const ready = await all('ready');
  const held = {};
  ready.forEach((r, wi) => r.held.forEach((count, i) => { held[workers[wi].tablets[i].device] = count; }));
  const errorsAtStart = ready.flatMap((r) => r.errors);
  if (errorsAtStart.length) throw new Error(`catch-up before the night failed: ${errorsAtStart.join('\n')}`);
  // Every tablet of a neighborhood holds the same before the night.
  const heldBy = {};
  for (const s of specs) {
    if (heldBy[s.neighborhood] !== undefined && heldBy[s.neighborhood] !== held[s.device])
      throw new Error(`tablets of ${s.neighborhood} hold different counts before the night`);
    heldBy[s.neighborhood] = held[s.device];
  }
  log(`${specs.length} tablets in ${W.workers} worker processes caught up (${Object.values(heldBy)[0]} changes each), going offline`);

  for (const w of workers) w.child.send({ cmd: 'author', priorities: W.priorities, edits: W.edits, shared });
  const authored = await all('authored');
  const perTablet = W.priorities * 7 + W.edits;
  for (const a of authored) for (const c of a.changes)
    if (c !== perTablet) throw new Error(`a tablet authored ${c} changes, expected ${perTablet}`);
  const totalPushed = specs.length * perTablet;
  log(`offline: ${totalPushed.toLocaleString('en-US')} changes authored (${perTablet} per tablet) in ${fmt(Math.max(...authored.map((a) => a.ms)) / 1000, 1)} s`);
  const targets = {};
  for (const slug of slugs) targets[slug] = heldBy[slug] + W.tablets * perTablet;

  // --- the timed phase -------------------------------------------------------------------
  await new Promise((r) => setTimeout(r, 500));
  // Read before the reconnect order, and again once every tablet is done: the
  // servers' CPU, their commit histograms (/metrics), PostgreSQL's CPU and WAL.
  const metricsBefore = await Promise.all(nodes.map(scrapeMetrics));
  const pgBefore = backend.pg && { processes: postgresProcesses(backend.pg.postmasterPid), wal: walBytes(backend.pg) };
  const loadAtStart = os.loadavg();
  const serverBefore = serversStat(nodes);
  const startAt = nowMs() + 50;  // the reconnect order, same clock in every process
  workers.forEach((w, i) => w.child.send({ cmd: 'go', startAt, targets,
                                           profile: PROFILE_WORKER !== null && Number(PROFILE_WORKER) === i }));
  log('reconnect: every tablet at once');
  // Every W.statusEveryMs the workers report their tablets; every 30 s the
  // incomplete ones are logged. A night that has stalled (every outbox
  // acknowledged and no replica applying anything for W.stallMs: changes the
  // servers will never send) is ended by the workers with what the tablets
  // hold, reported as not converged, so the other figures and the live phase
  // are still measured.
  let lastApplied = -1, stalledSince = null, ticks = 0;
  const watcher = setInterval(() => {
    ticks += 1;
    const latest = workers.map((w) => {
      let m = null;
      for (let i; (i = w.inbox.findIndex((x) => x.cmd === 'status')) >= 0;) m = w.inbox.splice(i, 1)[0];
      return m;
    });
    if (latest.every(Boolean)) {
      const tablets = latest.flatMap((m) => m.tablets);
      const applied = tablets.reduce((n, t) => n + t.applied, 0);
      const settled = tablets.every((t) => t.outbox === 0 && !t.inflight);
      if (!settled || applied !== lastApplied) stalledSince = null;
      else if (stalledSince === null) stalledSince = nowMs();
      else if (nowMs() - stalledSince >= W.stallMs) {
        log(`night stalled: every outbox acknowledged, nothing applied for ${fmt((nowMs() - stalledSince) / 1000, 0)} s; ending it`);
        for (const w of workers) w.child.send({ cmd: 'give-up' });
        stalledSince = Infinity;  // once
      }
      lastApplied = applied;
      if (ticks % Math.round(30000 / W.statusEveryMs) === 0)
        latest.forEach((m, w) => {
          const notDone = m.tablets.filter((t) => t.doneAt === null);
          if (notDone.length) log(`worker ${w}: ${notDone.length} tablets not complete, e.g. ${JSON.stringify(notDone[0])}; ${m.errors.join('; ')}`);
        });
    }
    for (const w of workers) w.child.send({ cmd: 'status' });
  }, W.statusEveryMs);
  watcher.unref();
  const converged = await all('converged');
  clearInterval(watcher);
  const serverAfter = serversStat(nodes);
  const pgAfter = backend.pg && { processes: postgresProcesses(backend.pg.postmasterPid), wal: walBytes(backend.pg) };
  const serverPeakNight = nodes.map((node) => procStatus(node.server.child.pid, 'VmHWM'));
  const metricsAfter = await Promise.all(nodes.map(scrapeMetrics));
  const loadAtEnd = os.loadavg();
  const ackMs = converged.flatMap((c) => c.ackMs).sort((a, b) => a - b);
  const allTablets = converged.flatMap((c) => c.tablets);
  const incomplete = allTablets.filter((t) => t.doneAt === null);
  const lastDone = incomplete.length ? NaN : Math.max(...allTablets.map((t) => t.doneAt));
  const lastAck = Math.max(...allTablets.map((t) => t.lastAckAt ?? NaN));
  const perTabletDone = allTablets.filter((t) => t.doneAt !== null).map((t) => (t.doneAt - startAt) / 1000).sort((a, b) => a - b);
  const sum = (f) => converged.reduce((s, c) => s + f(c), 0);
  const night = {
    converged_s: (lastDone - startAt) / 1000,
    // Set when the night stalled: how many tablets never held all of their
    // neighborhood, how many changes they lacked, and when the phase was ended.
    not_converged: incomplete.length ? {
      tablets: incomplete.length,
      missing_changes: incomplete.reduce((n, t) => n + (t.target - t.applied), 0),
      ended_s: (Math.max(...converged.map((c) => c.at)) - startAt) / 1000,
    } : null,
    tablet_done_p50_s: percentile(perTabletDone, 50),
    all_acked_s: (lastAck - startAt) / 1000,
    client_cpu_s: sum((c) => (c.cpu.user + c.cpu.system) / 1e6),
    client_cpu_user_s: sum((c) => c.cpu.user / 1e6),
    client_cpu_sys_s: sum((c) => c.cpu.system / 1e6),
    client_cpu_per_worker_s: converged.map((c) => (c.cpu.user + c.cpu.system) / 1e6),
    server_cpu_s: serverAfter.cpu - serverBefore.cpu,
    server_cpu_per_node_s: serverAfter.nodes.map((cpu, i) => cpu - serverBefore.nodes[i]),
    server_threads_cpu_s: Object.fromEntries(Object.entries(serverAfter.threads)
      .map(([k, v]) => [k, v - (serverBefore.threads[k] ?? 0)]).filter(([, v]) => v > 0.005)),
    server_peak_rss: serverPeakNight.reduce((a, b) => a + b, 0),
    server_peak_rss_per_node: serverPeakNight,
    commit: commitFigures(metricsBefore, metricsAfter),
    push_ack_ms: { pushes: ackMs.length, p50: percentile(ackMs, 50), p99: percentile(ackMs, 99), max: ackMs.at(-1) },
    postgres: backend.pg && { ...postgresCpuDelta(pgBefore.processes, pgAfter.processes), wal_bytes: pgAfter.wal - pgBefore.wal },
    payload_to_server: sum((c) => c.totals.bytesOut),
    payload_from_server: sum((c) => c.totals.bytesIn),
    socket_written: sum((c) => c.socket.written),
    socket_read: sum((c) => c.socket.read),
    websocket_extensions: [...new Set(converged.flatMap((c) => c.extensions))],
    server_args: SERVER_ARGS.join(' '),
    pages: sum((c) => c.totals.pages),
    changes_received: sum((c) => c.totals.changesIn),
    changes_applied_from_pages: sum((c) => c.totals.applied),
    pushes: sum((c) => c.totals.messagesOut) - specs.length,  // less the hellos
    rejected: sum((c) => c.totals.rejected),
    errors: converged.flatMap((c) => c.errors),
    changes_pushed: totalPushed,
    load_start: loadAtStart,
    load_end: loadAtEnd,
  };
  if (night.not_converged) log(`NOT converged: ${night.not_converged.tablets} tablets lack ${night.not_converged.missing_changes} changes of their neighborhood`);
  log(`converged: ${fmt(night.converged_s)} s (all acknowledged ${fmt(night.all_acked_s)} s); client CPU ${fmt(night.client_cpu_s)} s; server CPU ${fmt(night.server_cpu_s)} s` +
      (night.postgres ? `; PostgreSQL CPU ${fmt(night.postgres.cpu_s)} s` : '') +
      `; ${night.commit.all.groups} commit groups, mean ${fmt(night.commit.all.mean_ms)} ms`);

  // --- untimed: the replicas against each other and a fresh tablet -------------------------
  for (const w of workers) w.child.send({ cmd: 'digest' });
  const digests = (await all('digests')).flatMap((d) => d.digests);
  const fresh = {};
  await inParallel(slugs, 2, async (slug, n) => {
    const spec = { device: `fresh-${slug}-${randomHex(3)}`, actor: organizer(slug), neighborhood: slug, index: 2000, slot: -1 };
    spec.token = await issue(spec.device, spec.actor);
    const t = new Tablet(core, spec);
    const started = nowMs();
    await t.connect(nodes[n % nodes.length].server.wsUrl);
    await t.caughtUp;
    const ms = nowMs() - started;
    await t.close();
    fresh[slug] = { ...t.digest(), ms, pages: t.stats.pages, bytes: t.stats.bytesIn };
    t.replica.dispose();
  });
  let identical = true;
  const divergent = [];
  let records = 0, conflicts = 0;
  for (const slug of slugs) {
    const mine = digests.filter((d) => d.neighborhood === slug);
    for (const d of mine) if (d.sha256 !== fresh[slug].sha256) { identical = false; divergent.push(`${d.device} (${d.applied} applied) vs fresh (${fresh[slug].applied})`); }
    records += fresh[slug].records;
    conflicts += fresh[slug].conflicts;
  }
  night.identical = identical;
  night.records = records;
  night.conflicted_fields = conflicts;
  night.fresh_catch_up_ms_max = Math.max(...Object.values(fresh).map((f) => f.ms));
  night.state_bytes_per_neighborhood = Math.round(Object.values(fresh).reduce((s, f) => s + f.bytes, 0) / slugs.length);
  log(`replicas ${identical ? 'identical' : 'DIFFERENT'}: ${digests.length} tablets + ${slugs.length} fresh tablets, ${records} records, ${conflicts} conflicted fields`);
  if (!identical) log(divergent.slice(0, 5).join('\n'));

  // --- live: one editor per neighborhood at human pace ----------------------------------------
  const editorsDetail = {};
  slugs.forEach((slug, n) => {
    const editor = specs.find((s) => s.neighborhood === slug && s.slot === n % W.tablets);
    editorsDetail[editor.device] = { record: shared[slug][0], offsetMs: (n * W.liveIntervalMs) / slugs.length };
  });
  const count = Math.floor((W.liveSeconds * 1000) / W.liveIntervalMs);
  const liveStart = nowMs() + 200;
  const liveEnd = liveStart + W.liveSeconds * 1000 + 1500;  // + the last edits' way through
  const liveMetricsBefore = await Promise.all(nodes.map(scrapeMetrics));
  const livePgBefore = backend.pg && postgresProcesses(backend.pg.postmasterPid);
  const liveServerBefore = serversStat(nodes);
  const liveLoadStart = os.loadavg();
  for (const w of workers) w.child.send({ cmd: 'live', editors: Object.keys(editorsDetail), editors_detail: editorsDetail,
                                          count, intervalMs: W.liveIntervalMs, startAt: liveStart, endAt: liveEnd });
  log(`live: ${Object.keys(editorsDetail).length} editors, one edit per ${W.liveIntervalMs} ms each for ${W.liveSeconds} s`);
  const liveDone = await all('live-done');
  const liveServerAfter = serversStat(nodes);
  const livePgAfter = backend.pg && postgresProcesses(backend.pg.postmasterPid);
  const liveMetricsAfter = await Promise.all(nodes.map(scrapeMetrics));
  const edited = new Map();
  for (const d of liveDone) for (const e of d.edits) edited.set(e.id, e);
  // Every arrival, and split by whether the receiving tablet is on the editor's node.
  const latencies = [];
  const sameNode = [], otherNode = [];
  let hidden = 0;
  for (const d of liveDone) for (const s of d.seen) {
    const edit = edited.get(s.id);
    if (!edit) continue;
    if (!s.shown) { hidden += 1; continue; }
    latencies.push(s.at - edit.at);
    (s.node === edit.node ? sameNode : otherNode).push(s.at - edit.at);
  }
  for (const list of [latencies, sameNode, otherNode]) list.sort((a, b) => a - b);
  const liveAckMs = liveDone.flatMap((d) => d.ackMs).sort((a, b) => a - b);
  const expectedArrivals = edited.size * (W.tablets - 1);
  const live = {
    edits: edited.size,
    arrivals: latencies.length,
    expected_arrivals: expectedArrivals,
    not_shown: hidden,
    p50_ms: percentile(latencies, 50),
    p90_ms: percentile(latencies, 90),
    p99_ms: percentile(latencies, 99),
    max_ms: latencies.at(-1),
    client_cpu_s: liveDone.reduce((s, d) => s + (d.cpu.user + d.cpu.system) / 1e6, 0),
    server_cpu_s: liveServerAfter.cpu - liveServerBefore.cpu,
    same_node: { arrivals: sameNode.length, p50_ms: percentile(sameNode, 50), p99_ms: percentile(sameNode, 99) },
    other_node: { arrivals: otherNode.length, p50_ms: percentile(otherNode, 50), p99_ms: percentile(otherNode, 99) },
    push_ack_ms: { pushes: liveAckMs.length, p50: percentile(liveAckMs, 50), p99: percentile(liveAckMs, 99) },
    commit: commitFigures(liveMetricsBefore, liveMetricsAfter),
    postgres_cpu_s: backend.pg ? postgresCpuDelta(livePgBefore, livePgAfter).cpu_s : undefined,
    load_start: liveLoadStart,
    load_end: os.loadavg(),
    errors: liveDone.flatMap((d) => d.errors),
  };
  log(`live: ${live.arrivals}/${expectedArrivals} arrivals, p50 ${fmt(live.p50_ms)} ms, p99 ${fmt(live.p99_ms)} ms` +
      (nodes.length > 1 ? `; same node ${fmt(live.same_node.p50_ms)} / ${fmt(live.same_node.p99_ms)} ms, other node ${fmt(live.other_node.p50_ms)} / ${fmt(live.other_node.p99_ms)} ms` : ''));

  // --- stop everything -----------------------------------------------------------------------
  for (const w of workers) { w.stopping = true; w.child.send({ cmd: 'stop' }); }
  const stopped = await all('stopped');
  const serverPeakEnd = nodes.map((node) => procStatus(node.server.child.pid, 'VmHWM'));
  const serverTotal = serversStat(nodes);
  const codes = await Promise.all(nodes.map((node) => node.server.stop('SIGTERM')));
  // What the servers logged as errors during the run (a benchmark of a server
  // that reports failures should say so): how many lines, and the first kinds.
  const serverErrors = nodes.flatMap((node) => node.server.output().split('\n').filter((line) => / error /.test(line)));
  const serverErrorKinds = [...new Set(serverErrors.map((line) => line.replace(/^\S+ error /, '').slice(0, 120)))];
  // Storage after a clean stop: the data folders (SQLite's database is in the
  // first; on PostgreSQL each node keeps only its lock and secrets there),
  // and the database's size on PostgreSQL.
  const folders = nodes.map((node) => folderBytes(node.dataDir));
  const folder = { apparent: folders.reduce((a, f) => a + f.apparent, 0), allocated: folders.reduce((a, f) => a + f.allocated, 0),
                   files: folders.flatMap((f, i) => f.files.map((file) => ({ ...file, name: nodes.length > 1 ? `${i}/${file.name}` : file.name }))) };
  const database = backend.pg && postgresSize(backend.pg);
  if (backend.pg) await backend.pg.stop();
  if (!args.includes('--keep-data')) for (const node of nodes) rmSync(node.dataDir, { recursive: true, force: true });
  const uptimeAfter = execFileSync('uptime', { encoding: 'utf8' }).trim();
  log(`uptime after: ${uptimeAfter}`);

  const result = {
    workload: W, scale: SCALE, node: process.version, cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model?.trim(),
    commit: (() => { try { return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(); } catch { return '?'; } })(),
    // Which psc-server ran: the build may be newer or older than HEAD (it is
    // rebuilt as the tree changes), so its time and the tree's state are kept.
    server_binary: { path: serverBinary, built: statSync(serverBinary).mtime.toISOString().slice(0, 19).replace('T', ' '),
                     tree_changed: (() => { try { return execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no', 'server', 'shared'], { encoding: 'utf8' }).trim() !== ''; } catch { return null; } })() },
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    uptime_before: uptimeBefore, uptime_after: uptimeAfter, load_before: loadBefore,
    night, live,
    store: STORE, nodes: nodes.length,
    server_exit: codes.find((c) => c !== 0) ?? codes[0],
    server_peak_rss_end: serverPeakEnd.reduce((a, b) => a + b, 0),
    server_cpu_whole_run_s: serverTotal.cpu,
    data_folder: { apparent: folder.apparent, allocated: folder.allocated, files: folder.files },
    database,
    server_log_errors: { lines: serverErrors.length, kinds: serverErrorKinds.slice(0, 3) },
    workers_max_rss: stopped.map((s) => s.maxRss * 1024),
  };
  if (PROFILE_WORKER !== null) {
    const c = converged[Number(PROFILE_WORKER)];
    if (c?.profile) {
      const file = path.join(os.tmpdir(), `meeting-night-worker${PROFILE_WORKER}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(c.profile));
      result.profile = { file, top: summarizeProfile(c.profile) };
    }
  }
  report(result);
  if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
  if (args.includes('--write')) writeResult(result);
  const ok = identical && night.rejected === 0 && night.errors.length === 0 && live.arrivals === expectedArrivals;
  if (!ok) process.exitCode = 1;
  setTimeout(() => process.exit(), 200).unref();
}

// Self time by function (and by category) in a V8 .cpuprofile.
function summarizeProfile(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const id = profile.samples[i];
    dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let total = 0;
  for (const [id, us] of dt) {
    const n = byId.get(id);
    const f = n.callFrame;
    const where = f.url ? path.basename(f.url) : (f.functionName.startsWith('(') ? '' : 'native');
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  // By kind: the wasm core, V8's own work, and JS by file.
  const kinds = new Map();
  for (const [key, us] of self) {
    let kind;
    if (key.startsWith('wasm-function') || /\.wasm\b|^\S+ [0-9a-f]{8}$/.test(key)) kind = 'WebAssembly core (all wasm functions)';
    else if (key.startsWith('(idle)')) kind = '(idle)';
    else if (key.startsWith('(garbage collector)')) kind = '(garbage collector)';
    else if (key.startsWith('(program)')) kind = '(program: V8 outside JS, e.g. compiling)';
    else kind = `JS/native: ${key.split(' ').slice(1).join(' ') || key}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + us);
  }
  const byKind = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 15)
    .map(([k, us]) => ({ fn: k, ms: us / 1000, share: us / total }));
  return { total_ms: total / 1000, rows: rows.map(([k, us]) => ({ fn: k, ms: us / 1000, share: us / total })), byKind };
}

function table(result) {
  const { night: n, live: l } = result;
  // What the sockets carried (compressed when permessage-deflate was
  // negotiated), not the messages' length once inflated.
  const wire = n.socket_written + n.socket_read;
  const rows = [
    n.not_converged
      ? ['every tablet converged (s)', '**never**', '≤ 2.5', false,
         `${n.not_converged.tablets} of ${result.workload.neighborhoods * result.workload.tablets} tablets never held every change of their neighborhood (${n.not_converged.missing_changes.toLocaleString('en-US')} changes missing in all) although every outbox was acknowledged; the phase was ended ${fmt(n.not_converged.ended_s, 1)} s after the reconnect, ${fmt(result.workload.stallMs / 1000, 0)} s or more after the last change was applied, and its CPU figures include that idle wait (all acknowledged ${fmt(n.all_acked_s)} s)`]
      : ['every tablet converged (s)', fmt(n.converged_s), '≤ 2.5', n.converged_s <= 2.5,
         `reconnect order → last tablet's replica holds every change of its neighborhood, outbox acknowledged (median tablet ${fmt(n.tablet_done_p50_s)} s; all acknowledged ${fmt(n.all_acked_s)} s)`],
    ['client CPU, all replicas (s)', fmt(n.client_cpu_s), '≤ 8', n.client_cpu_s <= 8,
     `user + sys of the ${result.workload.workers} worker processes in the phase (user ${fmt(n.client_cpu_user_s)}, sys ${fmt(n.client_cpu_sys_s)})`],
    ['server CPU (s)', fmt(n.server_cpu_s), '', null,
     (result.nodes > 1 ? `${result.nodes} psc-server nodes: ${n.server_cpu_per_node_s.map((v) => fmt(v)).join(' + ')}; by thread, summed over the nodes: ` : '') +
     Object.entries(n.server_threads_cpu_s).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')],
    ...(n.postgres ? [['PostgreSQL CPU (s)', fmt(n.postgres.cpu_s), '', null,
      `utime + stime of the postmaster and its ${n.postgres.processes - 1} child processes over the phase: ` +
      Object.entries(n.postgres.by_kind_s).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') +
      `; WAL written ${mb(n.postgres.wal_bytes)} MB`]] : []),
    ['commit latency, mean / p50 / p99 (ms)', `${fmt(n.commit.all.mean_ms, 1)} / ${quantile(n.commit.all.p50_ms, n.commit.all.p50_bucket_ms)} / ${quantile(n.commit.all.p99_ms, n.commit.all.p99_bucket_ms)}`, '', null,
     `psc_commit_seconds over the night, ${n.commit.all.groups.toLocaleString('en-US')} groups` + (result.nodes > 1 ? ' on all nodes' : '') +
     ` (${fmt(n.commit.all.pushes_per_group, 1)} pushes a group; ${fmt(n.commit.all.busy_s)} s committing); p50/p99 estimated from the buckets: in ${bucket(n.commit.all.p50_bucket_ms)} and ${bucket(n.commit.all.p99_bucket_ms)} ms` +
     (result.nodes > 1 ? `; per node: ${n.commit.nodes.map((c, i) => `${i}: ${c.groups} groups, mean ${fmt(c.mean_ms, 1)} ms, ${c.changes_from_other_servers.toLocaleString('en-US')} changes from the others`).join('; ')}` : '')],
    ['push → ack at the tablet, p50 / p99 (ms)', `${fmt(n.push_ack_ms.p50, 0)} / ${fmt(n.push_ack_ms.p99, 0)}`, '', null,
     `${n.push_ack_ms.pushes} pushes of up to 500 changes; from the encoded push handed to the socket to the tablet handling its ack, so it includes the pages the server wrote before the ack and the tablet applied first; max ${fmt(n.push_ack_ms.max, 0)}`],
    ['bytes on the wire (MB)', mb(wire), '≤ 60', wire <= 60e6,
     `TCP payload, both ways, incl. frame headers and the upgrade: ${mb(n.socket_written)} to the server, ${mb(n.socket_read)} from it; WebSocket extensions: ${(n.websocket_extensions ?? ['?']).join(', ')}; the messages inflated: ${mb(n.payload_to_server)} to the server, ${mb(n.payload_from_server)} from it`],
    result.database
      ? ['PostgreSQL database after the run (MB)', mb(result.database.database), '≤ 30', result.database.database <= 30e6,
         `pg_database_size after the nodes stopped: psc_changes ${mb(result.database.changes)} (${result.database.rows.toLocaleString('en-US')} rows; of which indexes ${mb(result.database.changes_indexes)}), ` +
         `psc_snapshots (validation snapshots; replaced ones not yet vacuumed) ${mb(result.database.snapshots)}, ` +
         `accounts, tokens, custody and the other tables ${mb(result.database.other_tables)}, PostgreSQL's catalogs ${mb(result.database.catalogs)}; not the WAL; no VACUUM. ` +
         `The nodes' data folders: ${mb(result.data_folder.apparent)} MB (${result.data_folder.files.map((f) => f.name).join(', ')})`]
      : ['data folder after SIGTERM (MB)', mb(result.data_folder.apparent), '≤ 30', result.data_folder.apparent <= 30e6,
         result.data_folder.files.map((f) => `${f.name} ${mb(f.bytes)}`).join(', ')],
    ['live edit → shown at the other tablets, p50 / p99 (ms)', `${fmt(l.p50_ms, 1)} / ${fmt(l.p99_ms, 1)}`, 'p99 ≤ 15', l.p99_ms <= 15,
     `${l.arrivals.toLocaleString('en-US')} arrivals of ${l.edits.toLocaleString('en-US')} edits; p90 ${fmt(l.p90_ms, 1)}, max ${fmt(l.max_ms, 1)}` +
     (l.not_shown ? `; ${l.not_shown} more arrived in a page that already held a later title of the same priority (not timed)` : '')],
    ...(result.nodes > 1 ? [
      ['live, receiver on the editor\'s node, p50 / p99 (ms)', `${fmt(l.same_node.p50_ms, 1)} / ${fmt(l.same_node.p99_ms, 1)}`, '', null, `${l.same_node.arrivals.toLocaleString('en-US')} arrivals`],
      ['live, receiver on another node, p50 / p99 (ms)', `${fmt(l.other_node.p50_ms, 1)} / ${fmt(l.other_node.p99_ms, 1)}`, '', null,
       `${l.other_node.arrivals.toLocaleString('en-US')} arrivals: committed by the editor's node, woken by NOTIFY, read from PostgreSQL by the receiver's node`]] : []),
    ['live push → ack, p50 / p99 (ms)', `${fmt(l.push_ack_ms.p50, 1)} / ${fmt(l.push_ack_ms.p99, 1)}`, '', null,
     `${l.push_ack_ms.pushes.toLocaleString('en-US')} pushes (one edit each, unless an edit was made while the last push awaited its ack); live commit groups: ${l.commit.all.groups.toLocaleString('en-US')}, mean ${fmt(l.commit.all.mean_ms, 1)} ms, p50 / p99 from the buckets ${quantile(l.commit.all.p50_ms, l.commit.all.p50_bucket_ms)} / ${quantile(l.commit.all.p99_ms, l.commit.all.p99_bucket_ms)} ms`],
    ['server peak RSS (MiB)', mib(n.server_peak_rss), '', null,
     (result.nodes > 1 ? `sum over the nodes (${n.server_peak_rss_per_node.map((x) => mib(x)).join(' + ')}); ` : '') +
     `VmHWM after the night (${mib(result.server_peak_rss_end)} at the end)`],
  ];
  const lines = ['| figure | measured | target | met | what it is |', '| --- | ---: | ---: | --- | --- |'];
  for (const [name, value, target, met, what] of rows)
    lines.push(`| ${name} | ${value} | ${target} | ${met === null ? '' : met ? 'yes' : '**no**'} | ${what} |`);
  return lines.join('\n');
}

function report(result) {
  const { night: n, live: l, workload: W } = result;
  console.log(`\nMeeting night, real clients (${result.scale}, ${storeName(result)}): ${W.neighborhoods} neighborhoods × ${W.tablets} tablets in ${W.workers} processes, ` +
    `${n.changes_pushed.toLocaleString('en-US')} changes pushed; replicas identical: ${n.identical} (${n.records.toLocaleString('en-US')} records, ${n.conflicted_fields} conflicted fields)\n`);
  console.log(table(result));
  console.log(`\npages ${n.pages}, changes received ${n.changes_received.toLocaleString('en-US')} (new to the replica ${n.changes_applied_from_pages.toLocaleString('en-US')}), pushes ${n.pushes}, rejected ${n.rejected}, errors ${n.errors.length}${n.errors.length ? `: ${n.errors.slice(0, 3).join('; ')}` : ''}`);
  console.log(`client CPU per worker: ${n.client_cpu_per_worker_s.map((x) => fmt(x)).join(', ')} s; worker peak RSS ${result.workers_max_rss.map((x) => mib(x)).join(', ')} MiB`);
  console.log(`live: client CPU ${fmt(l.client_cpu_s)} s, server CPU ${fmt(l.server_cpu_s)} s${l.postgres_cpu_s !== undefined ? `, PostgreSQL CPU ${fmt(l.postgres_cpu_s)} s` : ''}, not shown on arrival ${l.not_shown}`);
  if (result.server_log_errors.lines)
    console.log(`server log: ${result.server_log_errors.lines} error lines, e.g. ${result.server_log_errors.kinds.join(' | ')}`);
  console.log(`load average: before ${result.load_before.map((x) => x.toFixed(2)).join(', ')}; night ${n.load_start[0].toFixed(2)} → ${n.load_end[0].toFixed(2)}; live ${l.load_start[0].toFixed(2)} → ${l.load_end[0].toFixed(2)}`);
  if (result.profile) {
    console.log(`\nprofile of worker ${option('profile-worker')} during the night (${fmt(result.profile.top.total_ms, 0)} ms sampled; ${result.profile.file}):`);
    for (const r of result.profile.top.byKind) console.log(`  ${(r.share * 100).toFixed(1).padStart(5)} %  ${fmt(r.ms, 0).padStart(6)} ms  ${r.fn}`);
    console.log('  by function (self time):');
    for (const r of result.profile.top.rows) console.log(`  ${(r.share * 100).toFixed(1).padStart(5)} %  ${fmt(r.ms, 0).padStart(6)} ms  ${r.fn}`);
  }
}

function writeResult(result) {
  const file = path.join(benchDir, 'MEETING_NIGHT.md');
  const { night: n, workload: W } = result;
  const section = [
    `### ${option('label', result.commit)} (${result.date} UTC, ${result.scale} scale)`,
    '',
    `${storeName(result)}; ${W.neighborhoods} neighborhoods × ${W.tablets} tablets in ${W.workers} worker processes; ${n.changes_pushed.toLocaleString('en-US')} changes pushed; ` +
    `replicas identical: ${n.identical} (${(W.neighborhoods * W.tablets)} tablets + ${W.neighborhoods} fresh tablets, ${n.records.toLocaleString('en-US')} records, ${n.conflicted_fields} conflicted fields); ` +
    `rejected ${n.rejected}; node ${result.node}; ${result.cpus} × ${result.cpu_model}; commit ${result.commit}; ` +
    `psc-server built ${result.server_binary.built} UTC${result.server_binary.tree_changed ? ' (server/ or shared/ had uncommitted changes at the run)' : ''}.`,
    `Load: \`${result.uptime_before}\` before, \`${result.uptime_after}\` after; 1-minute load ${n.load_start[0].toFixed(2)} → ${n.load_end[0].toFixed(2)} over the night, ` +
    `${result.live.load_start[0].toFixed(2)} → ${result.live.load_end[0].toFixed(2)} over the live phase.`,
    '',
    table(result),
    '',
    `Client CPU per worker (s): ${n.client_cpu_per_worker_s.map((x) => fmt(x)).join(', ')}. Pages received ${n.pages.toLocaleString('en-US')}, ` +
    `changes received ${n.changes_received.toLocaleString('en-US')} (${n.changes_applied_from_pages.toLocaleString('en-US')} new to the receiving replica), pushes ${n.pushes}. ` +
    `Live phase: client CPU ${fmt(result.live.client_cpu_s)} s, server CPU ${fmt(result.live.server_cpu_s)} s` +
    `${result.live.postgres_cpu_s !== undefined ? `, PostgreSQL CPU ${fmt(result.live.postgres_cpu_s)} s` : ''}.` +
    (result.server_log_errors.lines ? ` The servers logged ${result.server_log_errors.lines} error lines, e.g. \`${result.server_log_errors.kinds[0]}\`.` : ''),
    '',
  ].join('\n');
  recordRun(file, 'Meeting night, real clients', section);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

if (IS_WORKER) await workerMain();
else await main();
