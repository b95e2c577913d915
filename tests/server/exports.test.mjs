// Exports (CSV and JSON per neighborhood and per meeting) and the Open311
// GeoReport v2 feed, computed by the server from the core.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChangeMaker, newDeviceId, randomRecordId } from '../support/sync_client.mjs';
import { deriveId, useServer } from './support.mjs';

let server;
const ids = {};
const VOTER = 'b'.repeat(32);  // a pseudonym, as the app's attendance ids
const TRICKY_NAME = 'Ñúñez, José "Pepe"\nJr.';

// The records every test exports, pushed by the test coordinator's device.
async function pushRecords(connect) {
  const client = await connect();
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
  // A summer date (daylight time in Hartford) on another priority.
  await push('commitment', randomRecordId(), { priority: ids.speeding, department: 'police', summary: 'Speed trailer', status: 'in_progress', expected_date: '2027-07-01' });
  ids.push = push;
}

useServer({
  prepare: (s, { connect }) => {
    s.createAccount('org-pk', 'organizer', { neighborhood: 'parkville' });
    return pushRecords(connect);
  },
  started: (s) => { server = s; },
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
  assert.equal(text.split('\r\n')[0], 'id,meeting,name,organization,organization_name,role,neighborhood,department');
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
  assert.deepEqual(all.map((r) => r.service_request_id).sort(), [ids.lights, ids.speeding].sort(), 'the proposal is not public');
  const lights = all.find((r) => r.service_request_id === ids.lights);
  for (const f of ['service_request_id', 'status', 'status_notes', 'service_code', 'service_name', 'description',
                   'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime',
                   'address', 'lat', 'long']) assert.ok(f in lights, f);
  assert.equal(lights.status, 'open');
  assert.equal(lights.service_code, 'public_safety');
  assert.equal(lights.status_notes, 'Parts ordered');
  assert.match(lights.requested_datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

  const closed = await (await get('/open311/v2/requests.json?status=closed')).json();
  assert.deepEqual(closed.map((r) => r.service_request_id), [ids.speeding]);
  const code = await (await get('/open311/v2/requests.json?service_code=traffic_streets')).json();
  assert.deepEqual(code.map((r) => r.service_request_id), [ids.speeding]);
  // Escapes and '+' decoded (a zone offset's '+' must be sent as %2B); a key
  // given twice keeps its last value; a stray '%' is the spec's 400 error.
  const escaped = await (await get('/open311/v2/requests.json?service%5Fcode=traffic%5Fstreets')).json();
  assert.deepEqual(escaped.map((r) => r.service_request_id), [ids.speeding]);
  const twice = await (await get('/open311/v2/requests.json?status=open&status=closed')).json();
  assert.deepEqual(twice.map((r) => r.service_request_id), [ids.speeding]);
  assert.deepEqual(await (await get('/open311/v2/requests.json?end_date=2001-01-01T00:00:00%2B01:00')).json(), []);
  const stray = await get('/open311/v2/requests.json?status=op%zzen');
  assert.equal(stray.status, 400);
  assert.deepEqual(await stray.json(), [{ code: 400, description: "the request's URL is malformed" }]);
  const future = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  assert.deepEqual(await (await get(`/open311/v2/requests.json?start_date=${future}`)).json(), []);
  assert.deepEqual(await (await get('/open311/v2/requests.json?end_date=2001-01-01T00:00:00-05:00')).json(), []);
  const one = await (await get(`/open311/v2/requests/${ids.lights}.json`)).json();
  assert.equal(one.length, 1);
  const xml = await (await get('/open311/v2/requests.xml?status=open')).text();
  assert.match(xml, /<service_requests><request>/);
  assert.ok(xml.includes('Lights out, &quot;again&quot;'));
});

test('Open311 agency_responsible names the agency from the reference data, not its code', async () => {
  const all = await (await get('/open311/v2/requests.json')).json();
  const lights = all.find((r) => r.service_request_id === ids.lights);
  const speeding = all.find((r) => r.service_request_id === ids.speeding);
  assert.equal(lights.agency_responsible, 'Department of Public Works');
  assert.equal(speeding.agency_responsible, 'Hartford Police Department');
  assert.match(lights.service_notice, /^Department of Public Works: Replace bulbs/);
});

test('Open311 expected_datetime is midnight in Hartford, with that date\'s offset', async () => {
  const all = await (await get('/open311/v2/requests.json')).json();
  assert.equal(all.find((r) => r.service_request_id === ids.lights).expected_datetime, '2026-12-15T00:00:00-05:00');
  assert.equal(all.find((r) => r.service_request_id === ids.speeding).expected_datetime, '2027-07-01T00:00:00-04:00');
});

test('Open311 shows a proposal only once the PSC adopted it', async () => {
  const publicIds = async () => (await (await get('/open311/v2/requests.json')).json()).map((r) => r.service_request_id);
  const record = randomRecordId();
  await ids.push('priority', record, { title: 'Kiosk idea', category: 'youth', status: 'proposed', neighborhood: 'frog-hollow' });
  assert.ok(!(await publicIds()).includes(record), 'a proposal is not public');
  assert.equal((await get(`/open311/v2/requests/${record}.json`)).status, 404);
  assert.deepEqual(await (await get(`/open311/v2/requests.json?service_request_id=${record}`)).json(), []);
  await ids.push('priority', record, { status: 'dropped' });
  assert.ok(!(await publicIds()).includes(record), 'dropped without being adopted: not public');
  await ids.push('priority', record, { status: 'adopted', adopted_on: '2026-12-04' });
  assert.ok((await publicIds()).includes(record), 'adopted: public');
  await ids.push('priority', record, { status: 'dropped' });
  const dropped = await (await get(`/open311/v2/requests/${record}.json`)).json();
  assert.equal(dropped[0].status, 'closed', 'dropped after adoption: public, closed');
});

test('Open311 errors are the spec\'s, in the asked format, with the HTTP status', async () => {
  const bad = await get('/open311/v2/requests.json?start_date=yesterday');
  assert.equal(bad.status, 400);
  const errors = await bad.json();
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 400);
  assert.match(errors[0].description, /start_date/);
  assert.deepEqual(Object.keys(errors[0]).sort(), ['code', 'description']);

  const badXml = await get('/open311/v2/requests.xml?status=pending');
  assert.equal(badXml.status, 400);
  assert.match(badXml.headers.get('content-type'), /^text\/xml; charset=utf-8$/);
  assert.match(await badXml.text(), /^<\?xml version="1.0" encoding="utf-8"\?>\n<errors><error><code>400<\/code><description>[^<]*status[^<]*<\/description><\/error><\/errors>/);

  const unknown = await get('/open311/v2/requests/0123456789abcdef0123456789abcdef.json');
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json())[0].code, 404);
  const unknownXml = await get('/open311/v2/requests/0123456789abcdef0123456789abcdef.xml');
  assert.equal(unknownXml.status, 404);
  assert.match(await unknownXml.text(), /<errors><error><code>404<\/code>/);
  const malformed = await get('/open311/v2/requests/..%2F..%2Fetc.json');
  assert.equal(malformed.status, 404);
  assert.equal((await malformed.json())[0].code, 404);
  const nowhere = await get('/open311/v2/nothing.xml');
  assert.equal(nowhere.status, 404);
  assert.match(await nowhere.text(), /<errors><error><code>404<\/code>/);
  const noFormat = await get('/open311/v2/services');
  assert.equal(noFormat.status, 404);
  assert.equal((await noFormat.json())[0].code, 404);

  const post = await fetch(server.url + '/open311/v2/requests.json', { method: 'POST', body: 'service_code=youth' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, OPTIONS');
  assert.equal((await post.json())[0].code, 405);
});

test('Open311 answers say charset=utf-8: JSON application/json, XML text/xml', async () => {
  for (const p of ['/open311/v2/services', '/open311/v2/requests', `/open311/v2/requests/${ids.lights}`, '/open311/discovery']) {
    const json = await get(`${p}.json`);
    assert.equal(json.status, 200, p);
    assert.equal(json.headers.get('content-type'), 'application/json; charset=utf-8', p);
    const xml = await get(`${p}.xml`);
    assert.equal(xml.status, 200, p);
    assert.equal(xml.headers.get('content-type'), 'text/xml; charset=utf-8', p);
  }
});

test('Open311 discovery names the GeoReport v2 endpoint, in JSON and XML', async () => {
  const doc = await (await get('/open311/discovery.json')).json();
  for (const f of ['changeset', 'contact', 'key_service', 'endpoints']) assert.ok(f in doc, f);
  assert.equal(doc.endpoints.length, 1);
  const endpoint = doc.endpoints[0];
  assert.equal(endpoint.specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.equal(endpoint.type, 'production');
  assert.deepEqual(endpoint.formats, ['text/xml', 'application/json']);
  assert.equal(endpoint.url, `${server.url}/open311/v2`);
  // The endpoint it names answers.
  assert.equal((await fetch(`${endpoint.url}/services.json`)).status, 200);
  const xml = await (await get('/open311/discovery.xml')).text();
  assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<discovery><changeset>/);
  assert.ok(xml.includes('<specification>http://wiki.open311.org/GeoReport_v2</specification>'));
  assert.ok(xml.includes('<type>production</type>'));
  assert.ok(xml.includes('<formats><format>text/xml</format><format>application/json</format></formats>'));
});

test('Open311 GETs allow any origin (and answer a preflight); the authenticated API never does', async () => {
  const origin = { origin: 'https://civic-app.example' };
  for (const p of ['/open311/v2/services.json', '/open311/v2/requests.xml', '/open311/discovery.json',
                   '/open311/v2/requests.json?start_date=yesterday']) {
    const res = await fetch(server.url + p, { headers: origin });
    assert.equal(res.headers.get('access-control-allow-origin'), '*', p);
    assert.equal(res.headers.get('access-control-allow-credentials'), null, p);
  }
  const preflight = await fetch(server.url + '/open311/v2/requests.json', {
    method: 'OPTIONS',
    headers: { ...origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'accept' },
  });
  assert.ok(preflight.status === 204 || preflight.status === 200, String(preflight.status));
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-methods'), /\bGET\b/);
  assert.match(preflight.headers.get('access-control-allow-headers'), /accept/i);

  const device = newDeviceId('desk');
  const authed = { ...origin, authorization: `Bearer ${server.token(device, 'tester')}`, 'x-psc-device': device };
  for (const p of ['/api/export/neighborhood/frog-hollow.json', '/api/export/neighborhood/frog-hollow.json?x=1']) {
    const res = await fetch(server.url + p, { headers: authed });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null, p);
  }
  for (const [p, init] of [['/api/login', { method: 'POST', body: '{}' }], ['/api/login', { method: 'OPTIONS' }],
                           ['/api/export/neighborhood/frog-hollow.json', { method: 'OPTIONS' }], ['/health', {}], ['/', {}]]) {
    const res = await fetch(server.url + p, { ...init, headers: { ...origin, 'access-control-request-method': 'POST' } });
    assert.equal(res.headers.get('access-control-allow-origin'), null, `${init.method ?? 'GET'} ${p}`);
  }
});
