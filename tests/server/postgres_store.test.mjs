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
