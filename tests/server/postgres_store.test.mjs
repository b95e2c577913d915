// The changes in PostgreSQL (issue 13, first step): psc-server --store
// postgresql://... against a real PostgreSQL started for this file (Debian's
// package, initdb into a temporary folder: tests/support/postgres.mjs). The
// same protocol as on SQLite: the seed, pushes acknowledged once committed,
// resends answered without storing twice, scoped catch-up (an organizer gets
// its neighborhood and the leaders' meeting, not another neighborhood), the
// audit history; a restart keeps everything and seeds nothing again.
// Several servers on one database: multi_node.test.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPostgres } from '../support/postgres.mjs';
import { ChangeMaker, catchUp, randomRecordId } from '../support/sync_client.mjs';
import { apiCall, deviceOf, disposeServer, hartford, startServer, stopServer, syncClients } from './support.mjs';

let pg;
let server;
const { connect, terminateAll } = syncClients(() => server);
const SEEDED = hartford.neighborhoods.length + hartford.departments.length * 4 + hartford.categories.length * 3;

before(async () => {
  pg = await startPostgres();
  server = await startServer({ args: ['--store', pg.uri] });
  server.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
});
after(async () => {
  terminateAll();
  await disposeServer(server);
  await pg?.stop();
});

test('postgres: the seed, a push, a resend and scoped catch-up, as on SQLite', async () => {
  assert.equal(Number(pg.psql('SELECT count(*) FROM psc_changes')), SEEDED, 'seeded into PostgreSQL');
  const desk = await connect({ account: 'tester' });
  const maker = new ChangeMaker(desk.device);
  const mine = maker.priority({ title: 'Streetlights out on Park St', neighborhood: 'frog-hollow' });
  const theirs = maker.priority({ title: 'Potholes on Fairfield Ave', neighborhood: 'parkville' });
  const leaders = randomRecordId();
  const city = Object.entries({ neighborhood: 'citywide', kind: 'citywide_leaders', title: 'Leaders', start: '2026-12-03T22:00Z', status: 'held' })
    .map(([field, value]) => maker.change({ type: 'meeting', record: leaders, field, value }));
  const ack = await desk.push([...mine, ...theirs, ...city]);
  assert.deepEqual(ack.rejected, []);
  const again = await desk.push(mine);
  assert.deepEqual(again.accepted.sort(), mine.map((c) => c.id).sort(), 'a resend is acknowledged');
  assert.equal(Number(pg.psql('SELECT count(*) FROM psc_changes')), SEEDED + mine.length + theirs.length + city.length, 'and not stored twice');
  // Text that an array literal or a quoted string could mangle comes back byte for byte.
  const awkward = maker.priority({ title: 'He said "no", {then} \\ left; O\'Brien — café 🚧 \\"', neighborhood: 'frog-hollow' });
  assert.deepEqual((await desk.push(awkward)).rejected, []);
  const resent = await desk.push(awkward);
  assert.deepEqual(resent.rejected, [], 'the resend matches the stored body exactly');
  const back = (await catchUp(server.wsUrl)).changes.find((c) => c.id === awkward[0].id);
  assert.deepEqual(back, awkward[0]);
  // An invalid change is refused before anything reaches the database.
  const refused = await desk.push(maker.priority({ category: 'zoning' }));
  assert.ok(refused.rejected.length > 0);

  const organizer = await connect({ account: 'org-fh' });
  const records = new Set(organizer.catchUp.changes.map((c) => c.record));
  assert.ok(records.has(mine[0].record) && records.has(leaders), 'its neighborhood and the leaders’ meeting');
  assert.ok(!records.has(theirs[0].record), 'not another neighborhood');
  const seqs = organizer.catchUp.pages.flatMap((p) => p.cursor);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'cursors only move forward');

  const as = deviceOf(server, 'desk');
  const history = await apiCall(server, 'GET', `/api/history?type=priority&id=${mine[0].record}`, undefined, as);
  assert.equal(history.status, 200);
  assert.equal(history.body.history.length, mine.length);
});

test('postgres: a restart keeps every change and seeds nothing again', async () => {
  const before = await catchUp(server.wsUrl);
  terminateAll();
  const { code } = await stopServer(server, 'SIGTERM');
  assert.equal(code, 0, server.output());
  server = await startServer({ dataDir: server.dataDir, args: ['--store', pg.uri] });
  const afterRestart = await catchUp(server.wsUrl);
  assert.deepEqual(afterRestart.changes, before.changes, 'same changes, same order');
  assert.equal(Number(pg.psql('SELECT count(*) FROM psc_changes')), before.changes.length, 'nothing seeded twice');
});

test('postgres: a restart starts from the validation snapshot and replays only what came after it', async () => {
  terminateAll();
  await stopServer(server, 'SIGTERM');
  server = await startServer({ dataDir: server.dataDir, args: ['--store', pg.uri, '--snapshot-every', '50'] });
  const desk = await connect({ account: 'tester' });
  const maker = new ChangeMaker(desk.device);
  const early = maker.priority({ title: 'Before the snapshot', neighborhood: 'frog-hollow' });
  assert.deepEqual((await desk.push(early)).rejected, []);
  for (let i = 0; i < 30; i += 1) assert.deepEqual((await desk.push(maker.priorities(1))).rejected, []);
  const snapshotAt = Number(pg.psql('SELECT max(seq) FROM psc_snapshots'));
  const head = Number(pg.psql('SELECT max(seq) FROM psc_changes'));
  assert.ok(snapshotAt >= 50 && snapshotAt <= head, `a snapshot was saved (${snapshotAt} of ${head})`);
  const before = await catchUp(server.wsUrl);

  // Killed: no snapshot at the stop; the restart replays only the tail.
  terminateAll();
  await stopServer(server, 'SIGKILL');
  server = await startServer({ dataDir: server.dataDir, args: ['--store', pg.uri, '--snapshot-every', '50'] });
  const loaded = /loaded the validation snapshot at sequence (\d+) and (\d+) changes/.exec(server.output());
  assert.ok(loaded, server.output());
  assert.equal(Number(loaded[1]), snapshotAt);
  assert.equal(Number(loaded[2]), head - snapshotAt, 'only the changes after the snapshot were replayed');
  assert.deepEqual((await catchUp(server.wsUrl)).changes, before.changes, 'the same log');

  // The state from before the snapshot still validates: a resend is not
  // stored twice, a neighborhood cannot change, a stored id cannot be reused.
  const again = await connect({ account: 'tester', device: desk.device });
  const resent = await again.push(early);
  assert.deepEqual(resent.rejected, []);
  assert.deepEqual(resent.accepted.sort(), early.map((c) => c.id).sort());
  assert.equal(Number(pg.psql(`SELECT count(*) FROM psc_changes WHERE record_id = '${early[0].record}'`)), early.length,
    'acknowledged again, not stored twice');
  const moved = maker.change({ type: 'priority', record: early[0].record, field: 'neighborhood', value: 'parkville' });
  assert.equal((await again.push([moved])).rejected[0]?.code, 'invalid_field');
  const reused = { ...early[0], value: 'Another title under an old id' };
  assert.equal((await again.push([reused])).rejected[0]?.code, 'duplicate_id');

  // A clean stop saves the head: the next start replays nothing.
  terminateAll();
  assert.equal((await stopServer(server, 'SIGTERM')).code, 0);
  const last = Number(pg.psql('SELECT max(seq) FROM psc_changes'));
  server = await startServer({ dataDir: server.dataDir, args: ['--store', pg.uri] });
  assert.match(server.output(), new RegExp(`loaded the validation snapshot at sequence ${last} and 0 changes`));
});

test('postgres: the schema version is recorded, and a database from a newer server is refused untouched', async () => {
  assert.equal(pg.psql("SELECT value FROM psc_meta WHERE key = 'schema_version'").trim(), '1');
  terminateAll();
  await stopServer(server, 'SIGTERM');
  pg.psql("UPDATE psc_meta SET value = '99' WHERE key = 'schema_version'");
  const count = pg.psql('SELECT count(*) FROM psc_changes');
  const refused = await startServer({ dataDir: server.dataDir, args: ['--store', pg.uri] }).then(
    (s) => { disposeServer(s); return null; }, (error) => error);
  assert.match(String(refused?.message), /schema version 99, newer than this server's 1/);
  assert.equal(pg.psql('SELECT count(*) FROM psc_changes'), count, 'nothing written');
  pg.psql("UPDATE psc_meta SET value = '1' WHERE key = 'schema_version'");
  server = await startServer({ dataDir: server.dataDir, args: ['--store', pg.uri] });
});

test('postgres: with PostgreSQL gone the server is alive but not ready', async () => {
  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 200);
  await pg.stop();  // the last test of the file: PostgreSQL does not come back
  const notReady = await fetch(`${server.url}/readyz`);
  assert.equal(notReady.status, 503);
  assert.match((await notReady.json()).reason, /the store does not answer/);
  assert.equal((await fetch(`${server.url}/livez`)).status, 200);
});
