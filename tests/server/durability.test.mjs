// Durability: what the server acknowledged survives kill -9 and restarts,
// exactly once; SIGTERM/SIGINT exit cleanly (code 0) and keep everything.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { catchUp, ChangeMaker, duplicateIds } from '../support/sync_client.mjs';
import { assertEachOnce, assertStoredExactly, disposeServer, startServer, stopServer, syncClients } from './support.mjs';

// Not useServer: each test starts a server of its own and restarts it on the
// same data folder, so `server` is the one running now, connect() reaches
// it, and after each test its connections are cut and it is disposed of.
let server;
const { connect, terminateAll } = syncClients(() => server);
afterEach(async () => {
  terminateAll();
  await disposeServer(server);
  server = undefined;
});

function acceptedIds(acks) {
  return new Set(acks.flatMap((ack) => ack.accepted));
}

// Resends every batch from the device that made it (on a new connection: the
// server takes a change only from its own device) and checks each change is
// acknowledged again, then that everything is stored exactly once.
async function resendAll(batches, seed, device) {
  const client = await connect({ device, catchUp: true });
  for (const [i, batch] of batches.entries()) {
    const ack = await client.push(batch, { batch: `resend-${i}` });
    assert.deepEqual([...ack.accepted].sort(), batch.map((c) => c.id).sort(), `resent batch ${i} is accepted: ${JSON.stringify(ack.rejected.slice(0, 2))}`);
  }
  await client.close();
  const all = batches.flat();
  const stored = await assertStoredExactly(server, seed, all, 'after resending everything');
  assertEachOnce(stored.changes, all, 'after resending everything');
}

test('kill -9 after acks, then restart: every acknowledged change is there exactly once', async () => {
  server = await startServer();
  const seed = (await catchUp(server.wsUrl)).changes;
  const client = await connect();
  const maker = new ChangeMaker(client.device);
  const batches = Array.from({ length: 5 }, () => maker.priorities(25));

  // All five in flight at once, then every ack.
  batches.forEach((batch, i) => client.send({ type: 'push', batch: `b${i}`, changes: batch }));
  const acks = await Promise.all(batches.map((_, i) => client.ackFor(`b${i}`)));
  acks.forEach((ack, i) => assert.equal(ack.accepted.length, batches[i].length, `batch ${i} accepted whole`));

  const { signal } = await stopServer(server, 'SIGKILL');
  assert.equal(signal, 'SIGKILL');
  await client.waitClose();

  server = await startServer({ dataDir: server.dataDir });
  const stored = await assertStoredExactly(server, seed, batches.flat(), 'after kill -9 and restart');
  assertEachOnce(stored.changes, batches.flat(), 'after kill -9 and restart');
  assert.equal(stored.changes.filter((c) => c.type === 'neighborhood').length, 17, 'not seeded again');

  await resendAll(batches, seed, maker.device);
});

test('kill -9 in the middle of pushing: acknowledged changes survive once; resending completes without duplicates', async () => {
  server = await startServer();
  const seed = (await catchUp(server.wsUrl)).changes;
  const client = await connect();
  const maker = new ChangeMaker(client.device);
  const batches = Array.from({ length: 30 }, () => maker.priorities(10));

  batches.forEach((batch, i) => client.send({ type: 'push', batch: `m${i}`, changes: batch }));
  // Kill as soon as a few acks are in, with the rest still in flight.
  for (let i = 0; i < 3; i += 1) await client.nextOfType('ack', { what: `ack ${i + 1}` });
  await stopServer(server, 'SIGKILL');
  await client.waitClose();
  const acks = client.received.filter((m) => m.type === 'ack');
  const acked = acceptedIds(acks);
  assert.ok(acked.size >= 30, `at least three batches acknowledged (${acks.length})`);

  server = await startServer({ dataDir: server.dataDir });
  const after = await catchUp(server.wsUrl);
  assert.deepEqual(duplicateIds(after.changes), [], 'nothing stored twice');
  const storedIds = new Set(after.changes.map((c) => c.id));
  const lost = [...acked].filter((id) => !storedIds.has(id));
  assert.deepEqual(lost, [], `acknowledged changes lost by kill -9 (${acks.length} acks received)`);
  assertEachOnce(after.changes, batches.flat().filter((c) => acked.has(c.id)), 'acknowledged before kill -9');
  assert.equal(after.changes.filter((c) => c.type === 'neighborhood').length, 17, 'not seeded again');

  await resendAll(batches, seed, maker.device);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  test(`${signal}: clean exit with code 0; a restart keeps everything acknowledged`, async () => {
    server = await startServer();
    const seed = (await catchUp(server.wsUrl)).changes;
    const client = await connect();
    const watcher = await connect();
    const maker = new ChangeMaker(client.device);
    const first = maker.priorities(5);
    assert.equal((await client.push(first)).accepted.length, first.length);

    // More pushes in flight when the signal comes: whatever was acknowledged must be kept.
    const more = Array.from({ length: 10 }, () => maker.priorities(5));
    more.forEach((batch, i) => client.send({ type: 'push', batch: `late${i}`, changes: batch }));
    const { code, signal: killedBy } = await stopServer(server, signal);
    assert.equal(code, 0, `exit code after ${signal} (killed by ${killedBy}); output:\n${server.output()}`);
    await Promise.all([client.waitClose(), watcher.waitClose()]);

    const acked = acceptedIds(client.received.filter((m) => m.type === 'ack'));
    for (const change of first) assert.ok(acked.has(change.id));

    server = await startServer({ dataDir: server.dataDir });
    const after = await catchUp(server.wsUrl);
    assert.deepEqual(duplicateIds(after.changes), []);
    assertEachOnce(after.changes, [...first, ...more.flat()].filter((c) => acked.has(c.id)), `after ${signal} and restart`);
    assert.deepEqual(after.changes.slice(0, seed.length), seed, 'the seed is unchanged and comes first');
    assert.equal(after.changes.filter((c) => c.type === 'neighborhood').length, 17, 'not seeded again');

    await resendAll([first, ...more], seed, maker.device);
  });
}
