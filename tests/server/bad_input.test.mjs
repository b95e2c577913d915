// Bad input on /sync: each gets a clear error, leaves the stored data as it
// was, and (where the connection is not closed) the same connection still works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catchUp, ChangeMaker } from '../support/sync_client.mjs';
import { assertStoredExactly, rssKiB, useServer } from './support.mjs';

let server;
const { connect, open } = useServer({ started: (s) => { server = s; } });

async function expectError(client, code, what) {
  const message = await client.next((m) => m.type !== 'changes', { what: `error ${code} after ${what}` });
  assert.equal(message.type, 'error', `${what} is answered by an error, got ${JSON.stringify(message).slice(0, 300)}`);
  assert.equal(message.code, code, `${what}: error code (message: ${message.message})`);
  assert.equal(typeof message.message, 'string');
  assert.ok(message.message.length > 0, `${what}: the error explains itself`);
  return message;
}

// The connection still works: a valid push is acknowledged. Returns the changes.
async function assertStillUsable(client, what) {
  const changes = new ChangeMaker(client.device).priority({ title: `Still usable after ${what}` });
  const ack = await client.push(changes);
  assert.deepEqual([...ack.accepted].sort(), changes.map((c) => c.id).sort(), `${what}: a later push is accepted`);
  assert.deepEqual(ack.rejected, []);
  return changes;
}

// A valid push of `changes`, padded with JSON whitespace to exactly `bytes`.
function paddedPush(changes, bytes, batch = 'padded') {
  const head = JSON.stringify({ type: 'push', batch, changes });
  const text = `${head.slice(0, -1)}${' '.repeat(bytes - head.length)}}`;
  assert.equal(Buffer.byteLength(text), bytes);
  return text;
}

test('malformed JSON: error malformed_json, data unchanged, connection still usable', async () => {
  const start = await catchUp(server.wsUrl);
  const client = await connect({ cursor: start.cursor });
  const change = new ChangeMaker(client.device).priority({ title: 'Never stored' });
  const valid = JSON.stringify({ type: 'push', batch: 'cut', changes: change });
  for (const text of [valid.slice(0, -10), '{"type": "push", ', 'not json at all', '{"type":"push"}}']) {
    client.send(text);
    await expectError(client, 'malformed_json', `sending ${JSON.stringify(text.slice(0, 40))}`);
  }
  assert.ok(client.isOpen, 'the connection stays open');
  const stored = await assertStillUsable(client, 'malformed JSON');
  await assertStoredExactly(server, start.changes, stored, 'after malformed JSON');
});

test('unknown message type: error unknown_type, data unchanged, connection still usable', async () => {
  const start = await catchUp(server.wsUrl);
  const client = await connect({ cursor: start.cursor });
  const change = new ChangeMaker(client.device).priority({ title: 'Never stored' });
  client.send({ type: 'upload', batch: 'x', changes: change });
  const error = await expectError(client, 'unknown_type', 'a message of type "upload"');
  assert.match(error.message, /upload/);
  client.send({ type: 'subscribe' });
  await expectError(client, 'unknown_type', 'a message of type "subscribe"');
  assert.ok(client.isOpen, 'the connection stays open');
  const stored = await assertStillUsable(client, 'unknown type');
  await assertStoredExactly(server, start.changes, stored, 'after unknown types');
});

test('a message before hello: error, then the connection is closed; nothing stored', async () => {
  const start = await catchUp(server.wsUrl);

  const pusher = await open();
  const change = new ChangeMaker().priority({ title: 'Pushed before hello' });
  pusher.send({ type: 'push', batch: 'early', changes: change });
  await expectError(pusher, 'hello_required', 'a push before hello');
  await pusher.waitClose();
  assert.equal(pusher.received.some((m) => m.type === 'ack' || m.type === 'welcome'), false, 'no ack, no welcome');

  for (const text of ['{"type":', JSON.stringify({ type: 'subscribe' })]) {
    const client = await open();
    client.send(text);
    const message = await client.next(() => true, { what: `an error after ${text} before hello` });
    assert.equal(message.type, 'error', JSON.stringify(message));
    assert.ok(message.code?.length > 0 && message.message?.length > 0, JSON.stringify(message));
    await client.waitClose();
  }

  const sentinel = await connect();
  const stored = await assertStillUsable(sentinel, 'messages before hello');
  await assertStoredExactly(server, start.changes, stored, 'after messages before hello');
});

test('a message over max_message_bytes: error too_large, then close; nothing stored; at the limit is fine', async () => {
  const start = await catchUp(server.wsUrl);
  const client = await connect({ cursor: start.cursor });
  const limit = client.welcome.max_message_bytes;
  assert.equal(limit, 1024 * 1024);

  // Exactly at the limit: a valid push, accepted.
  const atLimit = new ChangeMaker(client.device).priority({ title: 'Exactly at the limit' });
  client.send(paddedPush(atLimit, limit, 'at-limit'));
  const ack = await client.ackFor('at-limit');
  assert.deepEqual([...ack.accepted].sort(), atLimit.map((c) => c.id).sort(), 'a message of exactly the limit is accepted');

  // One byte over: refused, and the connection closed.
  const over = new ChangeMaker(client.device).priority({ title: 'One byte over the limit' });
  client.send(paddedPush(over, limit + 1, 'over-limit'));
  await expectError(client, 'too_large', `a message of ${limit + 1} bytes`);
  await client.waitClose();
  assert.equal(client.received.some((m) => m.type === 'ack' && m.batch === 'over-limit'), false, 'no ack');

  const sentinel = await connect();
  const stored = await assertStillUsable(sentinel, 'a message over the limit');
  await assertStoredExactly(server, start.changes, [...atLimit, ...stored], 'after an oversized message');
});

test('a message far over max_message_bytes (8x): error too_large, then close; nothing stored', async () => {
  const start = await catchUp(server.wsUrl);
  const client = await connect({ cursor: start.cursor });
  const limit = client.welcome.max_message_bytes;
  const huge = new ChangeMaker(client.device).priority({ title: 'Eight times the limit' });
  client.send(paddedPush(huge, 8 * limit, 'huge'));
  const closed = await client.waitClose();
  const error = client.received.find((m) => m.type === 'error');
  assert.ok(error, `an error message before the close; got only close ${JSON.stringify(closed)} after ${
    JSON.stringify(client.received.map((m) => m.type))}`);
  assert.equal(error.code, 'too_large', JSON.stringify(error));

  const sentinel = await connect();
  const stored = await assertStillUsable(sentinel, 'a huge message');
  await assertStoredExactly(server, start.changes, stored, 'after a huge message');
});

test('a deflate bomb (64 MiB of one byte, ~64 KiB compressed) is too_large; the server never holds it', async () => {
  const start = await catchUp(server.wsUrl);
  const client = await connect({ cursor: start.cursor });
  assert.match(client.ws.extensions, /permessage-deflate/, 'the server negotiated compression');
  const before = rssKiB(server);
  const bomb = new ChangeMaker(client.device).priority({ title: 'A bomb' });
  client.ws.send(paddedPush(bomb, 64 * 1024 * 1024, 'bomb'), { compress: true });
  await expectError(client, 'too_large', 'a message inflating to 64 MiB');
  await client.waitClose();
  const grew = rssKiB(server) - before;
  assert.ok(grew < 16 * 1024, `the server's memory grew ${grew} KiB`);
  const sentinel = await connect();
  const stored = await assertStillUsable(sentinel, 'a deflate bomb');
  await assertStoredExactly(server, start.changes, stored, 'after a deflate bomb');
});

test('a push over max_batch: error batch_too_large, nothing of it stored, connection still usable', async () => {
  const start = await catchUp(server.wsUrl);
  const client = await connect({ cursor: start.cursor });
  const maxBatch = client.welcome.max_batch;
  const maker = new ChangeMaker(client.device);

  // max_batch + 1 valid changes (whole priorities, then single edits to fill up).
  const tooMany = maker.priorities(Math.floor((maxBatch + 1) / 4));
  const target = tooMany.find((c) => c.field === 'title');
  while (tooMany.length < maxBatch + 1)
    tooMany.push(maker.change({ type: 'priority', record: target.record, field: 'address', value: `${tooMany.length} Main St` }));
  client.send({ type: 'push', batch: 'too-many', changes: tooMany });
  await expectError(client, 'batch_too_large', `a push of ${tooMany.length} changes (max_batch ${maxBatch})`);
  assert.ok(client.isOpen, 'the connection stays open');

  // Exactly max_batch is fine.
  const exactly = maker.priorities(Math.floor(maxBatch / 4));
  const filler = exactly.find((c) => c.field === 'title');
  while (exactly.length < maxBatch)
    exactly.push(maker.change({ type: 'priority', record: filler.record, field: 'address', value: `${exactly.length} Elm St` }));
  const ack = await client.push(exactly, { batch: 'exactly-max', timeoutMs: 20000 });
  assert.equal(ack.accepted.length, maxBatch, `rejected: ${JSON.stringify(ack.rejected.slice(0, 3))}`);

  const stored = await assertStillUsable(client, 'a batch too large');
  assert.equal(client.received.some((m) => m.type === 'ack' && m.batch === 'too-many'), false, 'no ack of the big batch');
  await assertStoredExactly(server, start.changes, [...exactly, ...stored], 'after a batch too large');
});
