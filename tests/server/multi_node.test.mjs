// Several psc-server nodes on one PostgreSQL (issue 13): three real
// servers, each with its own data folder, sharing the change log in a real
// PostgreSQL started for this file (tests/support/postgres.mjs).
//
// - fan-out and catch-up across nodes: a change acknowledged on one node
//   reaches a live device on another without that device pushing anything,
//   and a device catching up on a third gets it too;
// - the sequence-gap case: many devices push at once on every node while a
//   device on each node reads the live log; each reader gets every
//   acknowledged change exactly once, in the same order, with cursors that
//   only move forward, and the log's sequences have no hole;
// - conflicting pushes on two nodes at the same instant: both create the same
//   record with a different value of a field that cannot change; exactly one
//   is accepted, the other refused, and every node holds the same record;
// - a node joining late catches up on everything, and its pushes reach the
//   others live;
// - accounts and tokens are shared: a sign-in on one node works on the
//   others, a sign-out on one node closes the device's session on another
//   within the revocation poll, a disabled account is refused everywhere,
//   and wrong passwords counted on one node lock the next try on another.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPostgres } from '../support/postgres.mjs';
import { ChangeMaker, catchUp, duplicateIds, newDeviceId, randomRecordId } from '../support/sync_client.mjs';
import { apiCall, deviceOf, disposeServer, signIn, startServer, syncClients } from './support.mjs';

let pg;
const nodes = [];
const { connect, terminateAll } = syncClients();

const startNode = () => startServer({ args: ['--store', pg.uri] });

before(async () => {
  pg = await startPostgres();
  // Started together: they race to create the schema, the epoch and the seed.
  nodes.push(...await Promise.all([startNode(), startNode(), startNode()]));
});
after(async () => {
  terminateAll();
  for (const node of nodes) await disposeServer(node);
  await pg?.stop();
});

const changeIds = (changes) => changes.map((c) => c.id);

test('multi_node: three nodes started at once share one seed, one epoch and one log', async () => {
  const logs = await Promise.all(nodes.map((node) => catchUp(node.wsUrl)));
  assert.ok(logs[0].changes.length > 0);
  assert.deepEqual(duplicateIds(logs[0].changes), [], 'seeded once, not once per node');
  assert.equal(Number(pg.psql('SELECT count(*) FROM psc_changes')), logs[0].changes.length);
  for (const log of logs.slice(1)) assert.deepEqual(changeIds(log.changes), changeIds(logs[0].changes));
  const epochs = await Promise.all(nodes.map(async (node) => (await connect({}, node)).welcome.epoch));
  assert.equal(new Set(epochs).size, 1, 'one epoch: a cursor is valid on every node');
});

test('multi_node: a change acknowledged on node A reaches a live device on node C, and catch-up on node B', async () => {
  const [a, b, c] = nodes;
  const listener = await connect({}, c);
  const writer = await connect({}, a);
  const changes = new ChangeMaker(writer.device).priority({ title: 'Broken hydrant on Broad St' });
  const started = Date.now();
  const ack = await writer.push(changes);
  assert.deepEqual(ack.rejected, []);
  const live = await listener.waitForChanges(changeIds(changes), { timeoutMs: 5000 });
  assert.deepEqual(changeIds(live.changes).sort(), changeIds(changes).sort());
  assert.ok(Date.now() - started < 5000);
  const caughtUp = await catchUp(b.wsUrl);
  for (const id of changeIds(changes)) assert.ok(caughtUp.changes.some((ch) => ch.id === id), `${id} on node B`);

  // A device's cursor from node C is valid on node B: it resumes there and
  // is sent nothing again.
  const cursor = live.messages.at(-1).cursor;
  listener.terminate();
  const moved = await connect({ device: listener.device, cursor }, b);
  assert.equal(moved.welcome.cursor, cursor, 'the cursor is kept, not reset');
  assert.deepEqual(moved.catchUp.changes.filter((ch) => changeIds(changes).includes(ch.id)), []);
});

test('multi_node: an organizer on node B gets every field of a new priority written on node A, its scope included', async () => {
  const [a, b] = nodes;
  a.createAccount('org-live', 'organizer', { neighborhood: 'frog-hollow', password: 'org-live-password-1' });
  const organizer = await connect({ account: 'org-live' }, b);
  const writer = await connect({}, a);
  // title, category and status come before the neighborhood field that scopes the record
  const changes = new ChangeMaker(writer.device).priority({ title: 'Dumping behind the laundromat', neighborhood: 'frog-hollow' });
  assert.deepEqual((await writer.push(changes)).rejected, []);
  const live = await organizer.waitForChanges(changeIds(changes), { timeoutMs: 5000 });
  assert.deepEqual(changeIds(live.changes).sort(), changeIds(changes).sort(), 'all four fields, live');
  const elsewhere = new ChangeMaker(writer.device).priority({ neighborhood: 'parkville' });
  assert.deepEqual((await writer.push(elsewhere)).rejected, []);
  const marker = new ChangeMaker(writer.device).priority({ neighborhood: 'frog-hollow' });
  assert.deepEqual((await writer.push(marker)).rejected, []);
  const after = await organizer.waitForChanges(changeIds(marker), { timeoutMs: 5000 });
  assert.deepEqual(after.changes.filter((c) => c.record === elsewhere[0].record), [], 'not another neighborhood');
});

test('multi_node: a device\'s custody (cursor, unsynced count) reported at node B is seen from node C', async () => {
  const [, b, c] = nodes;
  const tablet = await connect({ unsynced: 3 }, b);
  const desk = deviceOf(c, 'desk');
  let entry;
  for (let i = 0; i < 50 && !entry?.last_seen_at; i += 1) {
    const list = await apiCall(c, 'GET', '/api/devices', undefined, desk);
    assert.equal(list.status, 200);
    entry = list.body.find((d) => d.device === tablet.device);
    if (!entry?.last_seen_at) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(entry?.reported_unsynced, 3, JSON.stringify(entry));
  assert.equal(entry.unsynced_since, entry.last_seen_at, 'holding unsynced changes since that hello');
  for (const node of nodes) assert.doesNotMatch(node.output(), /custody update failed/);
});

test('multi_node: concurrent pushes on every node: every reader gets each change once, in one order, with no gap', async () => {
  const readers = await Promise.all(nodes.map((node) => connect({}, node)));
  const startCursor = readers.map((r) => r.welcome.cursor);
  const writersPerNode = 4;
  const pushesPerWriter = 15;
  const pushed = [];
  await Promise.all(nodes.flatMap((node) => Array.from({ length: writersPerNode }, async () => {
    const writer = await connect({}, node);
    const maker = new ChangeMaker(writer.device);
    for (let i = 0; i < pushesPerWriter; i += 1) {
      const changes = maker.priority({ title: `Concurrent ${i}` });
      const ack = await writer.push(changes);
      assert.deepEqual(ack.rejected, []);
      pushed.push(...changeIds(changes));
    }
  })));
  assert.equal(pushed.length, nodes.length * writersPerNode * pushesPerWriter * 4);

  const orders = [];
  for (const [i, reader] of readers.entries()) {
    const { messages, changes } = await reader.waitForChanges(pushed, { timeoutMs: 20000 });
    assert.deepEqual(duplicateIds(changes), [], `node ${i}: nothing twice`);
    const cursors = [startCursor[i], ...messages.map((m) => m.cursor)];
    for (let k = 1; k < cursors.length; k += 1) assert.ok(cursors[k] > cursors[k - 1], `node ${i}: cursors move forward`);
    orders.push(changeIds(changes).filter((id) => pushed.includes(id)));
  }
  assert.deepEqual(orders[1], orders[0], 'nodes A and B send the changes in the same (sequence) order');
  assert.deepEqual(orders[2], orders[0], 'nodes A and C too');
  const [count, max] = pg.psql('SELECT count(*), max(seq) FROM psc_changes').trim().split('|').map(Number);
  assert.equal(max, count, 'sequences 1..n without a hole');
});

test('multi_node: two nodes receive conflicting pushes at the same instant: one wins, the same on every node', async () => {
  const [a, b] = nodes;
  for (let round = 0; round < 5; round += 1) {
    const [onA, onB] = await Promise.all([connect({}, a), connect({}, b)]);
    const record = randomRecordId();
    // The same new priority in two neighborhoods: a scope cannot change once set.
    const fromA = new ChangeMaker(onA.device).priority({ record, neighborhood: 'frog-hollow' });
    const fromB = new ChangeMaker(onB.device).priority({ record, neighborhood: 'parkville' });
    const [ackA, ackB] = await Promise.all([onA.push(fromA), onB.push(fromB)]);
    const refusedNeighborhood = [...ackA.rejected, ...ackB.rejected].filter((r) => fromA.concat(fromB)
      .some((c) => c.id === r.change && c.field === 'neighborhood'));
    assert.equal(refusedNeighborhood.length, 1, `round ${round}: exactly one neighborhood refused: ${JSON.stringify([ackA, ackB])}`);
    const views = await Promise.all(nodes.map((node) => catchUp(node.wsUrl)));
    const neighborhoods = views.map((v) => v.changes.filter((c) => c.record === record && c.field === 'neighborhood')
      .map((c) => c.value));
    for (const seen of neighborhoods) {
      assert.equal(seen.length, 1, 'one neighborhood stored');
      assert.deepEqual(seen, neighborhoods[0], 'the same on every node');
    }
  }
});

test('multi_node: a node joining late catches up on everything, and its pushes reach the others live', async () => {
  const reference = await catchUp(nodes[0].wsUrl);
  const late = await startNode();
  nodes.push(late);
  const caughtUp = await catchUp(late.wsUrl);
  assert.deepEqual(changeIds(caughtUp.changes), changeIds(reference.changes));
  assert.equal(caughtUp.cursor, reference.cursor);

  const listener = await connect({}, nodes[1]);
  const writer = await connect({ device: newDeviceId('late') }, late);
  const changes = new ChangeMaker(writer.device).priority({ title: 'Graffiti on the library wall' });
  assert.deepEqual((await writer.push(changes)).rejected, []);
  await listener.waitForChanges(changeIds(changes), { timeoutMs: 5000 });
});

test('multi_node: a sign-in on node A works on node B; a sign-out on A ends the session on B; a disabled account is refused on C', async () => {
  const [a, b, c] = nodes;
  a.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow', password: 'org-fh-password-1' });
  const device = newDeviceId('shared');
  const session = await signIn(a, 'org-fh', 'org-fh-password-1', device);
  assert.ok(session.token, JSON.stringify(session));
  const onB = await connect({ device, token: session.token }, b);
  assert.equal(onB.welcome.role, 'organizer');
  const pushed = new ChangeMaker(device, { actor: 'org-fh' }).priority();
  assert.deepEqual((await onB.push(pushed)).rejected, [], 'a token from node A pushes on node B');

  const out = await apiCall(a, 'POST', '/api/logout', {}, { device, token: session.token });
  assert.equal(out.status, 200);
  // Pushed through node B's session right after the sign-out on node A
  // returned (B may not have closed it yet): never stored.
  const late = new ChangeMaker(device, { actor: 'org-fh' }).priority({ title: 'After the sign-out' });
  try { onB.send({ type: 'push', batch: 'late', changes: late }); } catch { /* closed already */ }
  await onB.waitClose({ timeoutMs: 3000 });
  assert.equal(pg.psql(`SELECT count(*) FROM psc_changes WHERE record_id = '${late[0].record}'`).trim(), '0',
    'a push after the sign-out is not stored on another node');
  assert.equal(onB.received.find((m) => m.type === 'error')?.code, 'unauthorized', 'node B closed it');
  const again = await connect({ device, token: session.token, catchUp: false }, c).catch((error) => error);
  assert.match(String(again?.message), /unauthorized/, 'and node C refuses the token');

  const other = newDeviceId('disabled');
  const second = await signIn(b, 'org-fh', 'org-fh-password-1', other);
  b.admin('disable-account', '--username', 'org-fh');
  const refused = await apiCall(c, 'GET', '/api/me', undefined, { device: other, token: second.token });
  assert.equal(refused.status, 401, 'node C refuses a token of an account disabled through node B');
});

test('multi_node: wrong passwords on node A count on node B', async () => {
  const [a, b] = nodes;
  a.createAccount('org-guessed', 'organizer', { neighborhood: 'frog-hollow', password: 'the-right-one-1' });
  for (let i = 0; i < 6; i += 1) {
    const wrong = await apiCall(a, 'POST', '/api/login', { username: 'org-guessed', password: `wrong-guess-${i}`, device: newDeviceId('g') }, null);
    assert.equal(wrong.status, 401);
  }
  const onB = await apiCall(b, 'POST', '/api/login', { username: 'org-guessed', password: 'the-right-one-1', device: newDeviceId('g') }, null);
  assert.equal(onB.status, 429, `node B makes the guesser wait too: ${JSON.stringify(onB.body)}`);
});
