// The departments and categories coordinators manage (issue 14): records the
// server seeds from server/data/hartford.json, every device receives
// (kiosks too: residents pick a category), only coordinators change, and
// that decide what a priority, commitment or sign-in may name. A data folder
// from before they were records gets the seed at its next start.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { TEST_PASSWORD } from '../support/server.mjs';
import { ChangeMaker, catchUp, getJson, newDeviceId, randomRecordId } from '../support/sync_client.mjs';
import { apiCall, deviceOf, disposeServer, hartford, kioskSignIn, signIn, startServer, useServer } from './support.mjs';

let server;
const { connect } = useServer({
  prepare: (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' });
  },
  started: (s) => { server = s; },
});

function record(maker, type, id, fields) {
  return Object.entries(fields).map(([field, value]) => maker.change({ type, record: id, field, value }));
}

test('a coordinator adds a category and uses it at once; others may use it, not change it', async () => {
  const desk = await connect({ account: 'tester' });
  const maker = new ChangeMaker(desk.device);
  // A category and the first priority of it, in one push.
  const truancy = record(maker, 'category', 'truancy', { name: 'Truancy', name_es: 'Ausentismo escolar', active: true });
  const first = maker.priority({ title: 'Kids out of school on Park St', category: 'truancy', neighborhood: 'frog-hollow' });
  const ack = await desk.push([...truancy, ...first]);
  assert.deepEqual(ack.rejected, []);

  // An unknown category is refused with a reason; a slug-shaped one too.
  for (const category of ['zoning', 'Zoning board', 'x'.repeat(65)]) {
    const refused = await desk.push(maker.priority({ category }));
    assert.ok(refused.rejected.length > 0 && refused.rejected.every((r) => r.code === 'invalid_field'), JSON.stringify(refused.rejected));
  }

  // An organizer may name it; may not add, rename or retire an entry.
  const organizer = await connect({ account: 'org-fh' });
  const orgMaker = new ChangeMaker(organizer.device, { actor: 'org-fh' });
  assert.ok(organizer.catchUp.changes.some((c) => c.type === 'category' && c.record === 'truancy'), 'the list reaches organizers');
  assert.deepEqual((await organizer.push(orgMaker.priority({ category: 'truancy', neighborhood: 'frog-hollow' }))).rejected, []);
  for (const changes of [record(orgMaker, 'category', 'zoning', { name: 'Zoning', active: true }),
    [orgMaker.change({ type: 'category', record: 'truancy', field: 'name', value: 'Hooky' })],
    [orgMaker.change({ type: 'department', record: 'police', field: 'active', value: false })]]) {
    const refused = await organizer.push(changes);
    assert.equal(refused.accepted.length, 0);
    assert.ok(refused.rejected.every((r) => r.code === 'forbidden'), JSON.stringify(refused.rejected));
    assert.match(refused.rejected[0].message, /only coordinators manage the city's departments and categories/);
  }

  // A kiosk receives the list (residents pick a category from it).
  const issuer = await signIn(server, 'org-fh', TEST_PASSWORD, newDeviceId('org'));
  const kiosk = await kioskSignIn(server, issuer, 'kiosk-lists');
  const tablet = await connect({ device: 'kiosk-lists', token: kiosk.token });
  assert.ok(tablet.catchUp.changes.some((c) => c.type === 'category' && c.record === 'truancy'));
});

test('an entry is retired, never deleted: the Open311 feed stops offering it, what named it keeps it', async () => {
  const desk = await connect({ account: 'tester' });
  const maker = new ChangeMaker(desk.device);
  const services = async () => (await getJson(`${server.url}/open311/v2/services.json`)).body;
  const named = (await services()).find((s) => s.service_code === 'truancy');
  assert.equal(named?.service_name, 'Truancy', 'a new category is a new Open311 service, by its name');

  const deleted = await desk.push([maker.change({ type: 'category', record: 'truancy', field: '_deleted', value: true })]);
  assert.equal(deleted.rejected[0]?.code, 'invalid_field');
  assert.match(deleted.rejected[0].message, /set active to false/);
  const retire = await desk.push([maker.change({ type: 'category', record: 'truancy', field: 'active', value: false })]);
  assert.deepEqual(retire.rejected, []);
  assert.ok(!(await services()).some((s) => s.service_code === 'truancy'));
  // A department renamed is the Open311 agency's new name.
  const police = randomRecordId();
  await desk.push([...maker.priority({ record: police, status: 'adopted', neighborhood: 'frog-hollow', extra: { department: 'police' } }),
    maker.change({ type: 'department', record: 'police', field: 'name', value: 'Hartford Police (Community Services)' })]);
  const request = (await getJson(`${server.url}/open311/v2/requests/${police}.json`)).body[0];
  assert.equal(request.agency_responsible, 'Hartford Police (Community Services)');
});

test('a liaison account may name an agency the coordinator added, and no unknown one', async () => {
  const desk = await connect({ account: 'tester' });
  const maker = new ChangeMaker(desk.device);
  const as = deviceOf(server, 'admin');
  const liaison = (department) => apiCall(server, 'POST', '/api/accounts',
    { username: `court-${randomRecordId().slice(0, 6)}`, role: 'liaison', department }, as);
  const early = await liaison('community-court');
  assert.equal(early.status, 400);
  assert.match(early.body.message, /no department "community-court"/);
  const ack = await desk.push(record(maker, 'department', 'community-court', { name: 'Community Court', kind: 'court', active: true }));
  assert.deepEqual(ack.rejected, []);
  const made = await liaison('community-court');
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.department, 'community-court');
  // Its liaison records a commitment of the court on a priority.
  const priority = randomRecordId();
  assert.deepEqual((await desk.push(maker.priority({ record: priority, status: 'adopted' }))).rejected, []);
  const court = await connect({ account: made.body.username });
  const courtMaker = new ChangeMaker(court.device, { actor: made.body.username });
  const commitment = record(courtMaker, 'commitment', randomRecordId(),
    { priority, department: 'community-court', summary: 'Docket for the landlord', status: 'acknowledged' });
  assert.deepEqual((await court.push(commitment)).rejected, []);
});

test('a data folder from before the lists were records gets them at its next start', async () => {
  const old = await startServer();
  try {
    assert.equal(await old.stop(), 0);
    const file = path.join(old.dataDir, 'psc.sqlite');
    const sql = (statement) => new Promise((resolve, reject) =>
      execFile('sqlite3', [file, statement], (error, stdout) => (error ? reject(error) : resolve(stdout))));
    await sql(`BEGIN; DELETE FROM changes WHERE record_type IN (SELECT id FROM names WHERE name IN ('department', 'category'));
               DELETE FROM meta WHERE key = 'seeded_reference_lists'; COMMIT;`);
    const again = await startServer({ dataDir: old.dataDir });
    try {
      const { changes } = await catchUp(again.wsUrl);
      const categories = new Set(changes.filter((c) => c.type === 'category').map((c) => c.record));
      assert.deepEqual([...categories].sort(), hartford.categories.map((c) => c.slug).sort());
      assert.equal(changes.filter((c) => c.type === 'neighborhood').length, 17, 'neighborhoods not seeded again');
    } finally {
      await disposeServer(again);
    }
  } finally {
    await disposeServer(old);
  }
});
