// Flood limits: a device sending too fast is cut off with a clear error, too
// many connections from one address are refused, and other devices carry on.
// Slow readers: a device that stops reading is neither dropped for it nor
// allowed to grow the server's memory; it reads on from its cursor, and only
// one that reads nothing for --write-timeout-ms is disconnected (logged).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import WebSocket from 'ws';

import { catchUp, ChangeMaker, newDeviceId } from '../support/sync_client.mjs';
import { rssKiB, useServer } from './support.mjs';

const WINDOW_BYTES = 256 * 1024;
const WRITE_TIMEOUT_MS = 4000;

// Three servers, one for each group of limits, for the whole file;
// connect(options, on) reaches any of them (by default `server`).
let server;   // flood limits
let slow;     // a small live window, no write timeout
let timeout;  // a small live window and a short write timeout
const { connect } = useServer({
  serverOptions: { args: ['--max-messages-per-second', '20', '--max-connections-per-address', '4'] },
  started: (s) => { server = s; },
});
useServer({
  serverOptions: { args: ['--live-window-bytes', String(WINDOW_BYTES), '--write-timeout-ms', '0'] },
  started: (s) => { slow = s; },
});
// Uncompressed, so that what the test pushes is more than the socket
// buffers hold and a write to a device that reads nothing stalls.
useServer({
  serverOptions: { args: ['--live-window-bytes', String(WINDOW_BYTES),
                          '--write-timeout-ms', String(WRITE_TIMEOUT_MS), '--compression-level', '0'] },
  started: (s) => { timeout = s; },
});

async function connectionsOf(on) {
  return (await (await fetch(`${on.url}/health`)).json()).connections;
}

// 200 priorities, created by `pusher`: { maker, created, last }.
async function createRecords(pusher) {
  const maker = new ChangeMaker(pusher.device);
  const created = maker.priorities(200);
  assert.equal((await pusher.push(created)).rejected.length, 0);
  const last = new Map(created.filter((c) => c.field === 'title').map((c) => [c.record, null]));
  return { maker, created, last };
}

// Pushes `batches` pushes of 200 edits of the records' descriptions (3,900
// bytes each: ~0.8 MB a push; each edit supersedes the last, so the server's
// replica stays the same size) and waits for every ack; returns the changes
// in push order.
async function editBulk(pusher, { maker, last }, batches) {
  const all = [];
  for (let b = 0; b < batches; b += 1) {
    const changes = [...last.keys()].map((record) => maker.change({
      type: 'priority', record, field: 'description', value: `${b} `.padEnd(3900, 'x'),
      base: last.get(record) ? [last.get(record)] : [] }));
    for (const c of changes) last.set(c.record, c.id);
    const ack = await pusher.push(changes);
    assert.equal(ack.accepted.length, changes.length, `batch ${b}: ${JSON.stringify(ack.rejected.slice(0, 2))}`);
    all.push(...changes);
  }
  return all;
}

test('a flooding device is cut off with rate_limited; another device is unaffected', async () => {
  const calm = await connect();
  const flood = await connect();
  for (let i = 0; i < 200; i += 1) flood.send({ type: 'push', batch: `f${i}`, changes: [] });
  const error = await flood.next((m) => m.type === 'error' && m.code === 'rate_limited');
  assert.match(error.message, /messages per second/);
  await flood.waitClose();
  const acks = flood.received.filter((m) => m.type === 'ack').length;
  assert.ok(acks >= 20 && acks <= 60, `the burst allowance was served before the cut-off (${acks} acks)`);

  const ack = await calm.push(new ChangeMaker(calm.device).priority({ title: 'Still served' }));
  assert.equal(ack.rejected.length, 0);
  await calm.close();
});

test('connections beyond the per-address limit are refused before the upgrade', async () => {
  for (let i = 0; i < 100 && (await connectionsOf(server)) > 0; i += 1) await new Promise((r) => setTimeout(r, 20));
  const open = [];
  for (let i = 0; i < 4; i += 1) open.push(await connect({ catchUp: false }));
  const status = await new Promise((resolve, reject) => {
    const ws = new WebSocket(server.wsUrl);
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode); ws.terminate(); });
    ws.on('open', () => { ws.terminate(); reject(new Error('a fifth connection was accepted')); });
    ws.on('error', () => {});
  });
  assert.equal(status, 429);
  await open[0].close();
  // Room again once one closes.
  for (let i = 0; i < 100 && (await connectionsOf(server)) > 3; i += 1) await new Promise((r) => setTimeout(r, 20));
  const again = await connect({ device: newDeviceId(), catchUp: false });
  assert.equal(again.welcome.type, 'welcome');
});

test('a device that stops reading is not dropped, holds no growing memory, and does not delay others', async () => {
  const stalled = await connect({}, slow);
  stalled.ws.pause();  // reads nothing from here on: the server's writes to it stall
  const watcher = await connect({}, slow);
  const pusher = await connect({}, slow);

  // ~50 MB of changes, far more than the live window and than the socket
  // buffers hold (tcp_rmem may let a receive buffer grow to 32 MB): the
  // stalled device's write stalls and it falls out of the window. Memory is
  // measured over the last three quarters, once SQLite's page cache and the
  // replica have their working size.
  const started = Date.now();
  const records = await createRecords(pusher);
  const pushed = [...records.created, ...(await editBulk(pusher, records, 16))];
  const rssBefore = rssKiB(slow);
  pushed.push(...(await editBulk(pusher, records, 48)));
  const grown = rssKiB(slow) - rssBefore;
  const { changes: seen } = await watcher.waitForChanges(pushed.map((c) => c.id), { timeoutMs: 30000 });
  assert.equal(seen.length, pushed.length, 'the reading device gets every change once, live');
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 20000, `the others were served at their own pace (${elapsed} ms)`);
  assert.ok(grown < 12 * 1024, `server memory grew ${grown} KiB while ~38 MB went past a device that does not read`);
  assert.equal(stalled.closeInfo, null, 'the slow device is still connected');
  assert.equal(await connectionsOf(slow), 3);

  // Reading again, it catches up from its cursor: every change, once, in order.
  stalled.ws.resume();
  const { changes: caught, messages } = await stalled.waitForChanges(pushed.map((c) => c.id), { timeoutMs: 30000 });
  assert.deepEqual(caught.map((c) => c.id), seen.map((c) => c.id), 'the same changes in the same order');
  for (let i = 1; i < messages.length; i += 1)
    assert.ok(messages[i].cursor > messages[i - 1].cursor, 'cursors advance');
  assert.ok(messages.every((m) => m.changes.length <= 500 && JSON.stringify(m).length <= 1024 * 1024),
            'every page is within --page-size and --max-message-bytes');
  assert.doesNotMatch(slow.output(), /dropping device/);
  await Promise.all([stalled.close(), watcher.close(), pusher.close()]);
});

test('a device that reads nothing for --write-timeout-ms is disconnected, and the log says why', async () => {
  const stalled = await connect({}, timeout);
  stalled.ws.pause();
  const pusher = await connect({}, timeout);
  const records = await createRecords(pusher);
  const pushed = await editBulk(pusher, records, 64);  // more than the socket buffers hold: a write to it stalls
  const deadline = Date.now() + WRITE_TIMEOUT_MS + 10000;
  while (Date.now() < deadline && (await connectionsOf(timeout)) > 1) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await connectionsOf(timeout), 1, 'only the reading device is still connected');
  assert.match(timeout.output(), new RegExp(`dropping device ${stalled.device}: device has not read for 4`));
  // The pusher was not held up, and what it pushed is all stored.
  const ack = await pusher.push(new ChangeMaker(pusher.device).priority({ title: 'After the drop' }));
  assert.equal(ack.rejected.length, 0);
  const stored = await catchUp(timeout.wsUrl);
  assert.ok(stored.changes.length >= pushed.length + 4);
  stalled.terminate();
  await pusher.close();
});
