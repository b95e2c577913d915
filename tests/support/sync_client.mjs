// A small client of the sync protocol (shared/include/psc/protocol.hpp) for
// the server integration tests: a raw WebSocket (the `ws` package), every
// message parsed and queued, and waits on a predicate with a timeout (never on
// sleeps). Also builds valid field changes the way a device does.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

import { TEST_ACCOUNT, tokenIssuers } from './server.mjs';

export const DEFAULT_TIMEOUT_MS = 10000;
export const PROTOCOL_VERSION = 1;

// --- ids and changes -----------------------------------------------------------

// 128 random bits as 32 lowercase hex digits (psc::new_record_id).
export function randomRecordId() {
  return randomBytes(16).toString('hex');
}

// A device id ([A-Za-z0-9_.:-]{1,64}), unique per call.
export function newDeviceId(prefix = 'test') {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

// The hlc text form: 12 hex digits of milliseconds, 4 of counter.
export function hlcText(millis, counter = 0) {
  return Math.trunc(millis).toString(16).padStart(12, '0') + counter.toString(16).padStart(4, '0');
}

// A device's hybrid logical clock and change factory. `offsetMs` shifts its
// physical clock (for clock skew tests).
export class ChangeMaker {
  // `actor` must be the account the device signed in as (the server refuses
  // anything else); the default is the test coordinator.
  constructor(device = newDeviceId(), { actor = TEST_ACCOUNT, offsetMs = 0 } = {}) {
    this.device = device;
    this.actor = actor;
    this.offsetMs = offsetMs;
    this.millis = 0;
    this.counter = 0;
  }

  // Next hlc, monotonic on this device. `atMs` forces the physical reading.
  tick(atMs) {
    const physical = Math.trunc(atMs ?? Date.now() + this.offsetMs);
    if (physical > this.millis) {
      this.millis = physical;
      this.counter = 0;
    } else if (this.counter < 0xffff) {
      this.counter += 1;
    } else {
      this.millis += 1;
      this.counter = 0;
    }
    return hlcText(this.millis, this.counter);
  }

  // One field change in wire form. `hlc` or `atMs` may pin its stamp.
  change({ type, record, field, value, base = [], hlc, atMs }) {
    const stamp = hlc ?? this.tick(atMs);
    return { id: `${stamp}@${this.device}`, type, record, field, value, hlc: stamp, device: this.device,
             actor: this.actor, base };
  }

  // The changes creating one priority: the four required fields (title,
  // category, status, neighborhood) plus any `extra` fields.
  priority({ record = randomRecordId(), title = `Priority ${record.slice(0, 6)}`, category = 'public_safety',
             status = 'proposed', neighborhood = 'frog-hollow', extra = {}, atMs } = {}) {
    const fields = { title, category, status, neighborhood, ...extra };
    return Object.entries(fields).map(([field, value]) => this.change({ type: 'priority', record, field, value, atMs }));
  }

  // `count` new priorities: 4 changes each.
  priorities(count, options = {}) {
    const out = [];
    for (let i = 0; i < count; i += 1) out.push(...this.priority({ title: `Priority ${i} ${randomRecordId().slice(0, 8)}`, ...options }));
    return out;
  }
}

// --- the client ----------------------------------------------------------------

function describe(message) {
  const text = message.raw ?? JSON.stringify(message);
  return text.length > 300 ? `${text.slice(0, 300)}... (${text.length} chars)` : text;
}

export class SyncClient {
  constructor(ws, url) {
    this.ws = ws;
    this.url = url;
    this.inbox = [];      // received, not yet taken by a wait
    this.received = [];   // every message received, in order (for diagnostics)
    this.waiters = [];
    this.errors = [];     // socket errors (e.g. EPIPE after the server closed)
    this.closeInfo = null;
    this.welcome = null;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        for (const waiter of this.waiters.splice(0)) waiter.onClose();
        resolve(this.closeInfo);
      });
    });
    ws.on('error', (error) => this.errors.push(error));
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      let message;
      try {
        message = JSON.parse(text);
      } catch {
        message = { type: '<not json>', raw: text };
      }
      if (isBinary) message = { type: '<binary>', raw: text };
      this.received.push(message);
      const index = this.waiters.findIndex((waiter) => waiter.predicate(message));
      if (index >= 0) {
        const [waiter] = this.waiters.splice(index, 1);
        waiter.resolve(message);
      } else {
        this.inbox.push(message);
      }
    });
  }

  // Opens the socket (no hello).
  // `ws` holds extra options for the ws package (e.g. {ca} for a test TLS certificate).
  static open(url, { timeoutMs = DEFAULT_TIMEOUT_MS, ws: wsOptions = {} } = {}) {
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024, ...wsOptions });
    const client = new SyncClient(ws, url);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { ws.terminate(); reject(new Error(`WebSocket ${url} did not open in ${timeoutMs} ms`)); }, timeoutMs);
      ws.once('open', () => { clearTimeout(timer); resolve(client); });
      ws.once('error', (error) => { clearTimeout(timer); reject(error); });
    });
  }

  // Opens, says hello, waits for welcome, and (unless catchUp is false)
  // collects the catch-up pages into client.catchUp. Without a `token`, one
  // is issued for the device (as `account`, default the test coordinator) by
  // the server that startServer() started at this URL.
  static async connect(url, { device = newDeviceId(), cursor = 0, token, account, unsynced = 0, catchUp = true,
                              timeoutMs = DEFAULT_TIMEOUT_MS, ws } = {}) {
    if (token === undefined) token = tokenIssuers.get(url)?.(device, account) ?? '';
    const client = await SyncClient.open(url, { timeoutMs, ws });
    client.device = device;
    client.hello({ device, cursor, token, unsynced });
    client.welcome = await client.next((m) => m.type === 'welcome' || m.type === 'error',
                                       { timeoutMs, what: 'welcome after hello' });
    if (client.welcome.type !== 'welcome') {
      client.terminate();
      throw new Error(`hello was answered with ${describe(client.welcome)}`);
    }
    if (catchUp) client.catchUp = await client.collectPages({ timeoutMs });
    return client;
  }

  send(message) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  hello({ device = this.device ?? newDeviceId(), cursor = 0, token = '', unsynced = 0, version = PROTOCOL_VERSION } = {}) {
    this.device = device;
    this.send({ type: 'hello', version, device, token, cursor, unsynced });
  }

  // The first queued (or next arriving) message matching `predicate`; taken
  // off the queue. Fails with the messages seen if none comes in time or the
  // socket closes first.
  next(predicate = () => true, { timeoutMs = DEFAULT_TIMEOUT_MS, what = 'a matching message' } = {}) {
    const index = this.inbox.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const fail = (why) => {
        const seen = this.received.slice(-8).map(describe).join('\n  ');
        reject(new Error(`waiting for ${what}: ${why}; last messages received:\n  ${seen || '(none)'}`));
      };
      const waiter = {
        predicate,
        resolve: (message) => { clearTimeout(timer); resolve(message); },
        onClose: () => { clearTimeout(timer); fail(`socket closed (${JSON.stringify(this.closeInfo)})`); },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        fail(`none within ${timeoutMs} ms`);
      }, timeoutMs);
      if (this.closeInfo) return waiter.onClose();
      this.waiters.push(waiter);
    });
  }

  // Next message of a type (an `error` instead fails with its content,
  // unless the type asked for is `error`).
  async nextOfType(type, options = {}) {
    const message = await this.next((m) => m.type === type || m.type === 'error',
                                    { what: `a ${type} message`, ...options });
    if (message.type !== type) throw new Error(`expected ${type}, got ${describe(message)}`);
    return message;
  }

  // `changes` pages until one with more=false: { changes, pages, cursor }.
  async collectPages({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const pages = [];
    for (;;) {
      const page = await this.nextOfType('changes', { timeoutMs, what: `catch-up page ${pages.length + 1}` });
      pages.push(page);
      if (page.more === false) break;
      if (page.more !== true) throw new Error(`changes.more is neither true nor false: ${describe(page)}`);
    }
    return { changes: pages.flatMap((p) => p.changes), pages, cursor: pages.at(-1).cursor };
  }

  // Live `changes` messages until every id in `ids` has been seen:
  // { changes, messages }.
  async waitForChanges(ids, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const missing = new Set(ids);
    const messages = [];
    const changes = [];
    const deadline = Date.now() + timeoutMs;
    while (missing.size > 0) {
      const message = await this.nextOfType('changes', {
        timeoutMs: Math.max(1, deadline - Date.now()),
        what: `live changes (${missing.size} of ${ids.length} ids still missing, e.g. ${[...missing][0]})`,
      });
      messages.push(message);
      for (const change of message.changes) {
        changes.push(change);
        missing.delete(change.id);
      }
    }
    return { changes, messages };
  }

  // Sends a push and waits for its ack (matched by batch id).
  async push(changes, { batch = `batch-${randomBytes(4).toString('hex')}`, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    this.send({ type: 'push', batch, changes });
    return this.ackFor(batch, { timeoutMs });
  }

  ackFor(batch, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    return this.next((m) => (m.type === 'ack' && m.batch === batch) || m.type === 'error',
                     { timeoutMs, what: `ack of batch ${batch}` })
      .then((message) => {
        if (message.type !== 'ack') throw new Error(`push ${batch} was answered with ${describe(message)}`);
        return message;
      });
  }

  // Resolves with {code, reason} once the socket is closed; fails after the timeout.
  waitClose({ timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    let timer;
    return Promise.race([
      this.closed.finally(() => clearTimeout(timer)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`socket still open ${timeoutMs} ms later; received:\n  ${
          this.received.slice(-5).map(describe).join('\n  ')}`)), timeoutMs);
      }),
    ]);
  }

  get isOpen() { return this.ws.readyState === WebSocket.OPEN; }

  async close() {
    if (this.closeInfo) return this.closeInfo;
    this.ws.close(1000, 'test done');
    const timer = setTimeout(() => this.ws.terminate(), 2000);
    try { return await this.closed; } finally { clearTimeout(timer); }
  }

  terminate() { this.ws.terminate(); }
}

// --- whole-server views --------------------------------------------------------

// Everything stored on the server, as a fresh device sees it catching up from
// `cursor`: { changes, pages, cursor }.
export async function catchUp(wsUrl, { cursor = 0, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  const client = await SyncClient.connect(wsUrl, { device: newDeviceId('audit'), cursor, timeoutMs });
  await client.close();
  return client.catchUp;
}

// How many times each change id occurs.
export function countIds(changes) {
  const counts = new Map();
  for (const change of changes) counts.set(change.id, (counts.get(change.id) ?? 0) + 1);
  return counts;
}

// Ids occurring more than once.
export function duplicateIds(changes) {
  return [...countIds(changes)].filter(([, n]) => n > 1).map(([id]) => id);
}

export async function getJson(url) {
  const response = await fetch(url);
  const text = await response.text();
  let body;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, body };
}
