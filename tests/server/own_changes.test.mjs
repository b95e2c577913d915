// A device is not sent its own changes back (issue 11, item 4): it stored
// them before pushing them, so the server leaves every change whose `device`
// is the session's out of the `changes` pages it sends that session, live
// and from the store, while each page's cursor still covers them. Every
// other device (another tablet, the same account on another device, the
// device that uploaded a hand-off file) still gets them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catchUp, ChangeMaker, getJson, newDeviceId } from '../support/sync_client.mjs';
import { apiCall, assertStoredExactly, chunks, disposeServer, handoffFile, startServer, useServer } from './support.mjs';

let server;
const { connect } = useServer({
  prepare: (s) => s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' }),
  started: (s) => { server = s; },
});

async function head(target) {
  return (await getJson(`${target.url}/health`)).body.sequence;
}

// Every change in every `changes` page `client` has received so far
// (catch-up included).
function pagesOf(client) { return client.received.filter((m) => m.type === 'changes'); }
function receivedBy(client) { return pagesOf(client).flatMap((m) => m.changes); }

function assertNoneOwn(client, message) {
  const own = receivedBy(client).filter((c) => c.device === client.device);
  assert.deepEqual(own.map((c) => c.id), [], `${message}: ${client.device} is never sent its own changes`);
}

function assertHas(changes, expected, message) {
  const counts = new Map();
  for (const c of changes) counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
  const missing = expected.filter((c) => !counts.has(c.id)).map((c) => c.id);
  assert.deepEqual(missing, [], `${message}: every expected change arrives`);
  const twice = expected.filter((c) => counts.get(c.id) > 1).map((c) => c.id);
  assert.deepEqual(twice, [], `${message}: none arrives twice`);
}

// Waits until `client` has been sent a page whose cursor is at least `target`.
function cursorReaches(client, target, what) {
  if (pagesOf(client).some((p) => p.cursor >= target)) return Promise.resolve();
  return client.next((m) => m.type === 'changes' && m.cursor >= target, { what }).then(() => {});
}

async function pushAll(client, changes, size = 400) {
  for (const batch of chunks(changes, size)) {
    const ack = await client.push(batch);
    assert.deepEqual(ack.rejected, [], 'every change accepted');
    assert.equal(ack.accepted.length, batch.length);
  }
}

test('live pages carry the other devices\' changes but never the device\'s own; the cursor still reaches the head', async () => {
  const a = await connect();
  const b = await connect();
  const makerA = new ChangeMaker(a.device);
  const makerB = new ChangeMaker(b.device);
  const a1 = makerA.priority({ title: 'Potholes on Park St' });
  const b1 = makerB.priority({ title: 'Streetlights out on Broad St' });
  const a2 = makerA.priority({ title: 'Speeding near the school' });
  await pushAll(a, a1);
  await pushAll(b, b1);
  await pushAll(a, a2);  // the device's own changes are the last ones
  const last = await head(server);

  await b.waitForChanges([...a1, ...a2].map((c) => c.id));
  await cursorReaches(a, last, `a page whose cursor reaches the head ${last} (the last changes are the device's own)`);
  await a.waitForChanges(b1.map((c) => c.id));
  await cursorReaches(b, last, `b's cursor reaches the head ${last}`);
  assertHas(receivedBy(a), b1, 'device a, live');
  assertHas(receivedBy(b), [...a1, ...a2], 'device b, live');
  assertNoneOwn(a, 'live');
  assertNoneOwn(b, 'live');
  // Cursors only move forward, and the last page says "up to date".
  for (const client of [a, b]) {
    const cursors = pagesOf(client).map((p) => p.cursor);
    assert.deepEqual(cursors, [...cursors].sort((x, y) => x - y), `${client.device}: cursors never go back`);
    assert.equal(pagesOf(client).at(-1).cursor, last);
    assert.equal(pagesOf(client).at(-1).more, false);
  }

  // Resuming from its last cursor, the device is sent nothing again.
  const resumed = await connect({ device: a.device, cursor: pagesOf(a).at(-1).cursor });
  assert.deepEqual(resumed.catchUp.changes, []);
  assert.equal(resumed.catchUp.cursor, last);
  await Promise.all([a.close(), b.close(), resumed.close()]);
});

test('a catch-up read from the store leaves the device\'s own changes out, in every page, and ends at the head', async () => {
  // A one-byte live window: all but the newest piece are read from SQLite.
  const far = await startServer({ args: ['--live-window-bytes', '1'] });
  try {
    const a = await connect({}, far);
    const b = await connect({}, far);
    const start = a.catchUp.cursor;
    const makerA = new ChangeMaker(a.device);
    const makerB = new ChangeMaker(b.device);
    const ownA = [];
    const ownB = [];
    // 600 of a's, 600 of b's, 600 of a's, 40 of b's, then 100 of a's last.
    for (const [client, maker, own, priorities] of [[a, makerA, ownA, 150], [b, makerB, ownB, 150],
      [a, makerA, ownA, 150], [b, makerB, ownB, 10], [a, makerA, ownA, 25]]) {
      const created = maker.priorities(priorities);
      await pushAll(client, created);
      own.push(...created);
    }
    const last = await head(far);
    // While connected, their live pages came from the store too (the window holds one piece).
    await cursorReaches(a, last, 'a reaches the head live');
    await cursorReaches(b, last, 'b reaches the head live');
    assertNoneOwn(a, 'live pages read from the store');
    assertNoneOwn(b, 'live pages read from the store');
    assertHas(receivedBy(a), ownB, 'a, live');
    assertHas(receivedBy(b), ownA, 'b, live');
    a.terminate();
    b.terminate();

    // Each device reconnects from the cursor it had before any of this.
    for (const [device, others, own] of [[a.device, ownB, ownA], [b.device, ownA, ownB]]) {
      const again = await connect({ device, cursor: start, timeoutMs: 30000 }, far);
      const { pages, changes, cursor } = again.catchUp;
      again.terminate();
      assert.deepEqual(changes.filter((c) => c.device === device).map((c) => c.id), [],
                       `${device}: no page of its catch-up holds its own changes`);
      assert.equal(changes.length, others.length, `${device}: exactly the other device's ${others.length} changes`);
      assertHas(changes, others, `${device}, catch-up`);
      assert.ok(pages.length >= 2, `${device}: ${others.length} changes come in several pages (${pages.length})`);
      let previous = start;
      pages.forEach((page, i) => {
        assert.ok(page.changes.length <= 500);
        assert.equal(page.more, i < pages.length - 1, `page ${i + 1}: more`);
        assert.ok(page.cursor >= previous, `page ${i + 1}: the cursor ${page.cursor} does not go back`);
        previous = page.cursor;
      });
      assert.equal(cursor, last, `${device}: the catch-up ends at the head, past its own ${own.length} changes`);
    }
    // A device that sees everything still gets both.
    const audit = await catchUp(far.wsUrl, { cursor: start, timeoutMs: 30000 });
    assert.equal(audit.changes.length, ownA.length + ownB.length);
  } finally {
    await disposeServer(far);
  }
});

test('a push whose ack was lost is sent again after a reconnect: accepted again, stored once, never sent back', async () => {
  const before = await catchUp(server.wsUrl);
  const device = newDeviceId('tablet');
  const first = await connect({ device, cursor: before.cursor });
  const batch = new ChangeMaker(device).priorities(3);
  // The push leaves, and the connection is closed before its ack is read.
  await new Promise((resolve, reject) => {
    first.ws.send(JSON.stringify({ type: 'push', batch: 'lost-ack', changes: batch }),
                  (error) => (error ? reject(error) : resolve()));
  });
  first.ws.close(1000, 'the ack is never read');
  await first.closed;
  // The server committed it (a commit does not wait for its session).
  const ids = new Set(batch.map((c) => c.id));
  const deadline = Date.now() + 10000;
  for (;;) {
    const { changes } = await catchUp(server.wsUrl, { cursor: before.cursor });
    if (changes.filter((c) => ids.has(c.id)).length === batch.length) break;
    assert.ok(Date.now() < deadline, 'the pushed batch is stored');
    await new Promise((resolve) => { setTimeout(resolve, 50); });
  }

  // The device comes back with the cursor it had stored: its catch-up does
  // not hold the batch (which is all that is new), and the cursor moves past it.
  const second = await connect({ device, cursor: before.cursor });
  assert.deepEqual(second.catchUp.changes.filter((c) => c.device === device).map((c) => c.id), [],
                   'the catch-up holds none of its own changes');
  assert.equal(second.catchUp.cursor, await head(server), 'the catch-up ends at the head, past its own batch');
  // Its outbox still holds the batch: it sends it again and gets it accepted.
  const resent = await second.push(batch, { batch: 'resent' });
  assert.deepEqual(resent.accepted.sort(), [...ids].sort(), 'the resend is acknowledged, every change accepted');
  assert.deepEqual(resent.rejected, []);
  await assertStoredExactly(server, before.changes, batch, 'after the lost ack and the resend');

  // Another device's change arrives live; still nothing of its own.
  const other = await connect();
  const marker = new ChangeMaker(other.device).priority({ title: 'After the resend' });
  await pushAll(other, marker);
  await second.waitForChanges(marker.map((c) => c.id));
  assertNoneOwn(second, 'after a resend');
  await Promise.all([second.close(), other.close()]);
});

test('the same account on another device gets the first device\'s changes, live and from the store', async () => {
  const before = await catchUp(server.wsUrl);
  const tablet = await connect({ account: 'org-fh', device: newDeviceId('tablet'), cursor: before.cursor });
  const laptop = await connect({ account: 'org-fh', device: newDeviceId('laptop'), cursor: before.cursor });
  assert.equal(tablet.welcome.actor, 'org-fh');
  assert.equal(laptop.welcome.actor, 'org-fh');
  const created = new ChangeMaker(tablet.device, { actor: 'org-fh' }).priority({ title: 'Trash pickup missed' });
  await pushAll(tablet, created);
  const last = await head(server);
  await laptop.waitForChanges(created.map((c) => c.id));
  assertHas(receivedBy(laptop), created, 'the same account\'s laptop, live');
  await cursorReaches(tablet, last, 'the tablet\'s cursor moves past its own changes');
  assertNoneOwn(tablet, 'the tablet, live');

  // From the store: a third device of the account catching up from 0, and
  // the tablet itself coming back from 0.
  await tablet.close();
  const phone = await connect({ account: 'org-fh', device: newDeviceId('phone') });
  assertHas(phone.catchUp.changes, created, 'the same account\'s phone, catch-up');
  const back = await connect({ account: 'org-fh', device: tablet.device });
  assert.deepEqual(back.catchUp.changes.filter((c) => c.device === tablet.device), []);
  assert.equal(back.catchUp.cursor, last);
  assert.ok(back.catchUp.changes.length > 0, 'it still gets the rest of its scope');
  await Promise.all([laptop.close(), phone.close(), back.close()]);
});

test('a hand-off upload: the device that uploaded the file gets its changes, the tablet that made them does not', async () => {
  const tabletDevice = newDeviceId('tablet');
  const tabletToken = server.token(tabletDevice, 'org-fh');
  const before = await catchUp(server.wsUrl);
  const tablet = await connect({ device: tabletDevice, token: tabletToken, cursor: before.cursor });
  const desk = await connect({ device: newDeviceId('desk'), cursor: before.cursor });
  const changes = new ChangeMaker(tabletDevice, { actor: 'org-fh' }).priority({ title: 'Carried over by file' });
  const file = handoffFile(changes, { token: tabletToken, device: tabletDevice, account: 'org-fh' });
  const response = await apiCall(server, 'POST', '/api/handoff', file, { device: desk.device, token: server.token(desk.device) });
  assert.equal(response.status, 200);
  assert.equal(response.body.accepted.length, changes.length);
  const last = await head(server);

  await desk.waitForChanges(changes.map((c) => c.id));
  assertHas(receivedBy(desk), changes, 'the uploading desk, live');
  await cursorReaches(tablet, last, 'the tablet\'s cursor moves past its own changes');
  assertNoneOwn(tablet, 'the tablet, after its file was uploaded');
  // The tablet's outbox still holds them: it sends them and they are accepted.
  const ack = await tablet.push(changes);
  assert.deepEqual(ack.accepted.sort(), changes.map((c) => c.id).sort());
  assert.deepEqual(ack.rejected, []);
  await assertStoredExactly(server, before.changes, changes, 'after the file and the push');
  await Promise.all([tablet.close(), desk.close()]);
});
