// Exports (CSV and JSON per neighborhood and per meeting) and the Open311
// GeoReport v2 feed, computed by the server from the core.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { buildDir } from '../support/server.mjs';
import { ChangeMaker, SyncClient, newDeviceId, randomRecordId } from '../support/sync_client.mjs';
import { disposeServer, startServer } from './support.mjs';

let server;
let client;
const ids = {};
const deriveId = (...args) =>
  execFileSync(path.join(buildDir, 'tests', 'tools', 'psc-derive-id'), args, { encoding: 'utf8' }).trim();
const VOTER = 'b'.repeat(32);  // a pseudonym, as the app's attendance ids
const TRICKY_NAME = 'Ñúñez, José "Pepe"\nJr.';

before(async () => {
  server = await startServer();
  server.createAccount('org-pk', 'organizer', { neighborhood: 'parkville' });
  client = await SyncClient.connect(server.wsUrl);
  const maker = new ChangeMaker(client.device);
  const push = async (type, record, fields) => {
    const ack = await client.push(Object.entries(fields).map(([field, value]) => maker.change({ type, record, field, value })));
    assert.deepEqual(ack.rejected, []);
    return record;
  };
  ids.meeting = await push('meeting', randomRecordId(), { neighborhood: 'frog-hollow', kind: 'psc', title: 'November PSC', start: '2026-11-29T23:00Z', status: 'held' });
  ids.lights = await push('priority', randomRecordId(), { title: 'Lights out, "again"', category: 'public_safety', status: 'adopted', neighborhood: 'frog-hollow', meeting: ids.meeting, address: '12 Park St' });
  ids.speeding = await push('priority', randomRecordId(), { title: 'Speeding', category: 'traffic_streets', status: 'resolved', neighborhood: 'frog-hollow' });
  ids.dumping = await push('priority', randomRecordId(), { title: 'Dumping', category: 'environment_sanitation', status: 'proposed', neighborhood: 'parkville' });
  await push('attendance', deriveId('attendance', ids.meeting, TRICKY_NAME), { meeting: ids.meeting, name: TRICKY_NAME, role: 'resident' });
  await push('vote', deriveId('vote', ids.meeting, ids.lights, VOTER), { meeting: ids.meeting, priority: ids.lights, voter: VOTER });
  await push('commitment', randomRecordId(), { priority: ids.lights, department: 'public-works', summary: 'Replace bulbs', status: 'in_progress', expected_date: '2026-12-15', status_notes: 'Parts ordered' });
  await push('action_item', randomRecordId(), { meeting: ids.meeting, description: 'Call DPW', owner: 'Ana', due_date: '2026-12-05' });
});
after(async () => {
  client?.terminate();
  await disposeServer(server);
});

function get(pathname, account) {
  const headers = {};
  if (account) {
    const device = newDeviceId('desk');
    headers.authorization = `Bearer ${server.token(device, account)}`;
    headers['x-psc-device'] = device;
  }
  return fetch(server.url + pathname, { headers });
}

test('a neighborhood exports as JSON and as correctly quoted CSV tables', async () => {
  const response = await get('/api/export/neighborhood/frog-hollow.json', 'tester');
  assert.equal(response.status, 200);
  const doc = await response.json();
  assert.equal(doc.neighborhood.id, 'frog-hollow');
  assert.deepEqual(doc.priorities.map((p) => p.title), ['Lights out, "again"', 'Speeding']);
  assert.equal(doc.priorities[0].rank, 1);
  assert.equal(doc.priorities[0].score, 1);
  assert.equal(doc.attendance[0].name, TRICKY_NAME);
  assert.ok(!doc.priorities.some((p) => p.title === 'Dumping'), 'only this neighborhood');

  const csv = await get('/api/export/neighborhood/frog-hollow/attendance.csv', 'tester');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="neighborhood-frog-hollow-attendance.csv"/);
  const text = await csv.text();
  assert.equal(text.split('\r\n')[0], 'id,meeting,name,organization,role');
  assert.ok(text.includes('"Ñúñez, José ""Pepe""\nJr."'), `quoted: ${text}`);
  const priorities = await (await get('/api/export/neighborhood/frog-hollow/priorities.csv', 'tester')).text();
  assert.ok(priorities.includes('"Lights out, ""again"""'));
  for (const table of ['votes', 'tallies', 'commitments', 'action_items', 'meetings'])
    assert.equal((await get(`/api/export/neighborhood/frog-hollow/${table}.csv`, 'tester')).status, 200, table);
});

test('a meeting exports its attendance, votes, commitments and action items', async () => {
  const doc = await (await get(`/api/export/meeting/${ids.meeting}.json`, 'tester')).json();
  assert.equal(doc.meeting.title, 'November PSC');
  assert.equal(doc.votes.length, 1);
  assert.equal(doc.commitments[0].summary, 'Replace bulbs');
  assert.equal(doc.action_items[0].owner, 'Ana');
  const csv = await (await get(`/api/export/meeting/${ids.meeting}/action_items.csv`, 'tester')).text();
  assert.match(csv, /Call DPW,Ana,2026-12-05/);
});

test('exports are scoped: no token 401, another neighborhood 403, unknown 404', async () => {
  assert.equal((await get('/api/export/neighborhood/frog-hollow.json')).status, 401);
  assert.equal((await get('/api/export/neighborhood/frog-hollow.json', 'org-pk')).status, 403);
  assert.equal((await get(`/api/export/meeting/${ids.meeting}.json`, 'org-pk')).status, 403);
  assert.equal((await get('/api/export/neighborhood/parkville.json', 'org-pk')).status, 200);
  assert.equal((await get('/api/export/neighborhood/atlantis.json', 'tester')).status, 404);
  assert.equal((await get('/api/export/neighborhood/frog-hollow/secrets.csv', 'tester')).status, 404);
});

test('Open311 services: one per category', async () => {
  const services = await (await get('/open311/v2/services.json')).json();
  assert.equal(services.length, 8);
  for (const s of services) for (const f of ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']) assert.ok(f in s, f);
  const xml = await (await get('/open311/v2/services.xml')).text();
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service>/);
  assert.ok(xml.includes("<service_code>public_safety</service_code>"));
});

test('Open311 requests: the spec fields, date format and filters', async () => {
  const all = await (await get('/open311/v2/requests.json')).json();
  assert.equal(all.length, 3);
  const lights = all.find((r) => r.service_request_id === ids.lights);
  for (const f of ['service_request_id', 'status', 'status_notes', 'service_code', 'service_name', 'description',
                   'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime',
                   'address', 'lat', 'long']) assert.ok(f in lights, f);
  assert.equal(lights.status, 'open');
  assert.equal(lights.service_code, 'public_safety');
  assert.equal(lights.agency_responsible, 'public-works');
  assert.equal(lights.status_notes, 'Parts ordered');
  assert.equal(lights.expected_datetime, '2026-12-15T00:00:00Z');
  assert.match(lights.requested_datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

  const closed = await (await get('/open311/v2/requests.json?status=closed')).json();
  assert.deepEqual(closed.map((r) => r.service_request_id), [ids.speeding]);
  const code = await (await get('/open311/v2/requests.json?service_code=environment_sanitation')).json();
  assert.deepEqual(code.map((r) => r.service_request_id), [ids.dumping]);
  const future = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  assert.deepEqual(await (await get(`/open311/v2/requests.json?start_date=${future}`)).json(), []);
  assert.deepEqual(await (await get('/open311/v2/requests.json?end_date=2001-01-01T00:00:00-05:00')).json(), []);
  const one = await (await get(`/open311/v2/requests/${ids.lights}.json`)).json();
  assert.equal(one.length, 1);
  const bad = await get('/open311/v2/requests.json?start_date=yesterday');
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error, 'bad_query');
  const xml = await (await get('/open311/v2/requests.xml?status=open')).text();
  assert.match(xml, /<service_requests><request>/);
  assert.ok(xml.includes('Lights out, &quot;again&quot;'));
});
