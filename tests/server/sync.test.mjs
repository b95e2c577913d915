// The sync protocol's normal flow against the real server: hello/welcome,
// live fan-out, catch-up from a cursor in pages, idempotent resend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catchUp, ChangeMaker, duplicateIds, newDeviceId } from '../support/sync_client.mjs';
import { assertEachOnce, assertStoredExactly, chunks, useServer } from './support.mjs';

const PAGE_LIMIT = 500;

let server;
const { connect } = useServer({ started: (s) => { server = s; } });

test('hello with a valid device token is answered by welcome, then catch-up pages ending with more=false', async () => {
  const device = newDeviceId();
  const before = Date.now();
  const client = await connect({ device });
  const w = client.welcome;
  assert.equal(w.type, 'welcome');
  assert.equal(w.version, 1);
  assert.equal(w.device, device, 'welcome names the device');
  assert.ok(Number.isInteger(w.server_time) && Math.abs(w.server_time - before) < 60000,
            `server_time ${w.server_time} is the server's clock in ms`);
  assert.equal(w.actor, 'tester', 'the account the token belongs to');
  assert.equal(w.role, 'coordinator');
  assert.equal(w.max_message_bytes, 1024 * 1024, 'default message limit is 1 MiB');
  assert.ok(Number.isInteger(w.max_batch) && w.max_batch > 0, `max_batch ${w.max_batch}`);
  assert.equal(client.catchUp.pages.at(-1).more, false);
  assert.ok(client.catchUp.changes.length >= 17, 'at least the seeded neighborhoods');
  await client.close();
});

test('live fan-out: a change pushed by one device reaches every other connected device; the pusher only sees its cursor move', async () => {
  const one = await connect();
  const two = await connect();
  const three = await connect();
  const created = new ChangeMaker(one.device).priority({
    title: 'Speeding on Park Street — “school zone”', category: 'traffic_streets', neighborhood: 'frog-hollow',
  });

  const ack = await one.push(created);
  assert.deepEqual(ack.accepted.sort(), created.map((c) => c.id).sort());
  assert.deepEqual(ack.rejected, []);

  let head = 0;
  for (const [name, client] of [['device two', two], ['device three', three]]) {
    const { changes, messages } = await client.waitForChanges(created.map((c) => c.id));
    assertEachOnce(changes, created, `${name} receives the pushed changes`);
    // A device resuming from the cursor of the last live message gets nothing new.
    const cursor = messages.at(-1).cursor;
    assert.ok(Number.isInteger(cursor) && cursor >= client.catchUp.cursor, `${name}: live cursor ${cursor}`);
    const resumed = await catchUp(server.wsUrl, { cursor });
    assert.deepEqual(resumed.changes, [], `${name}: nothing after the live cursor ${cursor}`);
    head = cursor;
  }
  // The pusher stored them before pushing: it is not sent them back, but a
  // page (empty) moves its cursor past them.
  const moved = await one.next((m) => m.type === 'changes' && m.cursor >= head, { what: 'the pusher\'s cursor page' });
  assert.equal(moved.cursor, head);
  assert.deepEqual(moved.changes, [], 'the pusher is not sent its own changes');

  // Device two answers with an edit that supersedes the title; device one sees it live.
  const title = created.find((c) => c.field === 'title');
  const edit = new ChangeMaker(two.device).change({
    type: 'priority', record: title.record, field: 'title', value: 'Speeding on Park St', base: [title.id],
  });
  assert.deepEqual((await two.push([edit])).accepted, [edit.id]);
  const { changes } = await one.waitForChanges([edit.id]);
  assertEachOnce(changes, [edit], 'device one receives device two\'s edit');
  await Promise.all([one.close(), two.close(), three.close()]);
});

test('catch-up from a cursor returns only what is after it, in pages of at most 500, ending more=false', async () => {
  const start = await catchUp(server.wsUrl);
  const pusher = await connect({ cursor: start.cursor, catchUp: true });
  assert.deepEqual(pusher.catchUp.changes, [], 'nothing after the current cursor');
  assert.equal(pusher.catchUp.pages.length, 1);
  assert.equal(pusher.catchUp.pages[0].more, false);
  assert.equal(pusher.catchUp.pages[0].cursor, start.cursor, 'an empty page keeps the cursor');

  // 1,200 changes (300 priorities) in batches of 400.
  const maker = new ChangeMaker(pusher.device);
  const pushed = maker.priorities(300);
  for (const batch of chunks(pushed, 400)) {
    const ack = await pusher.push(batch);
    assert.equal(ack.accepted.length, batch.length, `rejected: ${JSON.stringify(ack.rejected.slice(0, 3))}`);
  }

  const late = await catchUp(server.wsUrl, { cursor: start.cursor });
  assert.equal(late.changes.length, pushed.length, 'exactly the changes pushed after the cursor');
  assertEachOnce(late.changes, pushed, 'catch-up from the cursor');
  assert.ok(late.pages.length >= 3, `1,200 changes come in several pages (got ${late.pages.length})`);
  let previous = start.cursor;
  late.pages.forEach((page, i) => {
    const last = i === late.pages.length - 1;
    assert.ok(page.changes.length <= PAGE_LIMIT, `page ${i + 1} has ${page.changes.length} changes`);
    assert.equal(page.more, !last, `page ${i + 1} of ${late.pages.length}: more=${page.more}`);
    if (page.changes.length > 0) assert.ok(page.cursor > previous, `page ${i + 1} cursor ${page.cursor} advances`);
    else assert.equal(page.cursor, previous, `empty page ${i + 1} keeps the cursor`);
    previous = page.cursor;
  });
  // Batches were acknowledged one after the other, so their sequence follows push order.
  const order = new Map(pushed.map((c, i) => [c.id, Math.floor(i / 400)]));
  const batchOrder = late.changes.map((c) => order.get(c.id));
  assert.deepEqual(batchOrder, [...batchOrder].sort((a, b) => a - b), 'earlier batches come first');

  // From the first page's cursor: exactly the rest.
  const firstPage = late.pages[0];
  const rest = await catchUp(server.wsUrl, { cursor: firstPage.cursor });
  assert.deepEqual(rest.changes, late.changes.slice(firstPage.changes.length), 'resuming after page 1');

  // From the final cursor: nothing.
  const done = await catchUp(server.wsUrl, { cursor: late.cursor });
  assert.deepEqual(done.changes, []);
  assert.equal(done.pages.at(-1).more, false);
  await pusher.close();
});

test('a change pushed again is accepted again but stored once', async () => {
  const before = await catchUp(server.wsUrl);
  const client = await connect({ cursor: before.cursor });
  const created = new ChangeMaker(client.device).priority({ title: 'Abandoned car on Broad St', status: 'adopted' });

  const first = await client.push(created, { batch: 'resend-1' });
  assert.deepEqual(first.accepted.sort(), created.map((c) => c.id).sort());
  assert.deepEqual(first.rejected, []);

  // The same batch again (a device that never saw the ack resends it).
  const second = await client.push(created, { batch: 'resend-2' });
  assert.deepEqual(second.accepted.sort(), created.map((c) => c.id).sort(), 'a resent change is acknowledged');
  assert.deepEqual(second.rejected, []);

  // From another device and connection, too, and twice within one batch.
  const other = await connect({ cursor: before.cursor });
  const third = await other.push([...created, created[0]], { batch: 'resend-3' });
  assert.deepEqual(third.rejected, [], 'duplicates within a batch are not rejected');
  assert.deepEqual([...new Set(third.accepted)].sort(), created.map((c) => c.id).sort());

  const now = await assertStoredExactly(server, before.changes, created, 'after three sends');
  assertEachOnce(now.changes, created, 'after three sends');
  assert.deepEqual(duplicateIds(now.changes), []);
  await Promise.all([client.close(), other.close()]);
});
