// Accounts, device tokens, roles and scopes over real connections: who may
// sign in, write and read what (PRODUCT.md's roles table, enforced by the
// server through the core's authorization).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChangeMaker, newDeviceId, randomRecordId } from '../support/sync_client.mjs';
import { apiCall, deriveId, kioskSignIn, signIn, useServer } from './support.mjs';

const PASSWORD = 'a-long-password-1';
let server;
const { connect, open } = useServer({
  prepare: (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow', password: PASSWORD });
    s.createAccount('liaison-dpw', 'liaison', { department: 'public-works', password: PASSWORD });
    s.createAccount('viewer-fh', 'viewer', { neighborhood: 'frog-hollow', password: PASSWORD });
  },
  started: (s) => { server = s; },
});

// A POST as the signed-in device `as` ({device, token}; none: signed out).
const post = (pathname, body, as) => apiCall(server, 'POST', pathname, body, as);
const login = (username, device) => signIn(server, username, PASSWORD, device);

// A hello that must be refused: error unauthorized, then the server closes.
async function expectRefused(options) {
  const client = await open();
  client.hello(options);
  const reply = await client.next((m) => m.type === 'welcome' || m.type === 'error');
  assert.equal(reply.type, 'error', `refused: ${JSON.stringify(reply)}`);
  assert.equal(reply.code, 'unauthorized');
  assert.match(reply.message, /token/);
  await client.waitClose();
}

test('hello needs a valid token for that very device', async () => {
  const device = newDeviceId();
  await expectRefused({ device, token: '' });
  await expectRefused({ device, token: 'f'.repeat(64) });
  await expectRefused({ device, token: server.token(newDeviceId()) });  // another device's token
  const ok = await connect({ device });
  assert.equal(ok.welcome.actor, 'tester');
});

test('sign-in over HTTP issues a device token; wrong passwords are refused and then slowed down', async () => {
  const device = newDeviceId('login');
  const good = await post('/api/login', { username: 'org-fh', password: PASSWORD, device });
  assert.equal(good.status, 200);
  assert.equal(good.body.role, 'organizer');
  assert.equal(good.body.neighborhood, 'frog-hollow');
  assert.match(good.body.token, /^[0-9a-f]{64}$/);
  const client = await connect({ device, token: good.body.token });
  assert.equal(client.welcome.role, 'organizer');
  assert.equal(client.welcome.neighborhood, 'frog-hollow');

  const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${good.body.token}`, 'x-psc-device': device } });
  assert.equal((await me.json()).account, 'org-fh');

  assert.equal((await post('/api/login', { username: 'nobody', password: 'x', device })).status, 401);
  const attempts = [];
  for (let i = 0; i < 7; i += 1) attempts.push(await post('/api/login', { username: 'viewer-fh', password: `wrong-${i}`, device }));
  assert.deepEqual(attempts.slice(0, 5).map((a) => a.status), [401, 401, 401, 401, 401]);
  assert.equal(attempts.at(-1).status, 429, 'after five failures the account is locked for a while');
  assert.ok(Number(attempts.at(-1).headers.get('retry-after')) >= 1);
  assert.equal(attempts.at(-1).body.error, 'too_many_attempts');
  const locked = await post('/api/login', { username: 'viewer-fh', password: PASSWORD, device });
  assert.equal(locked.status, 429, 'even the right password waits out the lock');

  const bad = await post('/api/login', { username: 'org-fh' });
  assert.equal(bad.status, 400);
});

test('revoked tokens and disabled accounts stop working at once', async () => {
  const device = newDeviceId('revoke');
  const { token } = await login('org-fh', device);
  await (await connect({ device, token })).close();
  const out = await post('/api/logout', {}, { device, token });
  assert.equal(out.status, 200);
  await expectRefused({ device, token });

  server.createAccount('temp-org', 'organizer', { neighborhood: 'parkville', password: PASSWORD });
  const tempDevice = newDeviceId('temp');
  const tempToken = server.token(tempDevice, 'temp-org');
  await (await connect({ device: tempDevice, token: tempToken })).close();
  server.admin('disable-account', '--username', 'temp-org');
  await expectRefused({ device: tempDevice, token: tempToken });
});

test('kiosk codes: an organizer issues one, a tablet redeems it once for a kiosk token of that neighborhood', async () => {
  const organizer = await login('org-fh', newDeviceId('org'));
  const issued = await post('/api/kiosk-codes', {}, organizer);
  assert.equal(issued.status, 200);
  assert.equal(issued.body.neighborhood, 'frog-hollow');
  assert.match(issued.body.code, /^[2-9A-HJ-NP-Z]{8}$/);

  const tablet = newDeviceId('kiosk');
  const kiosk = await post('/api/kiosk-login', { code: issued.body.code.toLowerCase(), device: tablet });
  assert.equal(kiosk.status, 200);
  assert.equal(kiosk.body.role, 'kiosk');
  const again = await post('/api/kiosk-login', { code: issued.body.code, device: newDeviceId('kiosk') });
  assert.equal(again.status, 401, 'a code works once');
  const client = await connect({ device: tablet, token: kiosk.body.token });
  assert.equal(client.welcome.role, 'kiosk');

  const viewer = await login('viewer-fh', newDeviceId('viewer'));
  if (viewer.token) {
    const refused = await post('/api/kiosk-codes', {}, viewer);
    assert.equal(refused.status, 403);
  }
  assert.equal((await post('/api/kiosk-codes', {})).status, 401);
});

// --- the roles table ------------------------------------------------------------

const TYPES = ['organization', 'meeting', 'agenda_item', 'attendance', 'priority', 'vote', 'tally', 'commitment', 'action_item',
  'outcome'];
// 'citywide' is the leaders' meeting: its records (CITY_TYPES) are the
// coordinator's; the organizer of frog-hollow may only check off ('done') the
// action item assigned to frog-hollow (the world's action_item@citywide).
const PLACES = ['frog-hollow', 'parkville', 'citywide'];
const CITY_TYPES = ['meeting', 'agenda_item', 'attendance', 'action_item'];

function expected(role, op, type, where) {
  if (where === 'citywide')
    return role === 'coordinator' || (role === 'organizer' && type === 'action_item' && op === 'edit');
  switch (role) {
    case 'coordinator': return true;
    case 'viewer': return false;
    case 'organizer': return where === 'frog-hollow';
    case 'liaison': return type === 'commitment';
    case 'kiosk': return where === 'frog-hollow' && op === 'create' && ['priority', 'vote', 'attendance'].includes(type);
    default: throw new Error(role);
  }
}

// Fields of a new record of `type` in `where`; ids of the world's records.
function newRecord(world, type, where, maker) {
  const meeting = world[`meeting@${where}`], priority = world[`priority@${where}`];
  const unique = randomRecordId().slice(0, 8);
  switch (type) {
    case 'organization': return { id: randomRecordId(), fields: { name: `Club ${unique}`, kind: 'club', neighborhood: where } };
    case 'meeting': return { id: randomRecordId(), fields: { neighborhood: where, kind: where === 'citywide' ? 'citywide_leaders' : 'block_group', title: 'Block meeting', start: '2026-12-01T23:00Z', status: 'planned' } };
    case 'agenda_item': return { id: randomRecordId(), fields: { meeting, order: 2, title: 'Next steps' } };
    case 'attendance': { const name = `Person ${unique}`; return { id: deriveId('attendance', meeting, name), fields: { meeting, name, role: 'resident' } }; }
    case 'priority': return { id: randomRecordId(), fields: { title: `Concern ${unique}`, category: 'youth', status: 'proposed', neighborhood: where } };
    case 'vote': { const voter = randomRecordId(); /* a pseudonym, as the app's attendance ids */ return { id: deriveId('vote', meeting, priority, voter), fields: { meeting, priority, voter } }; }
    case 'tally': {
      // One tally per (meeting, priority): a fresh priority made by the coordinator first.
      const fresh = world.freshPriority(where);
      return { id: deriveId('tally', meeting, fresh), fields: { meeting, priority: fresh, count: 3 } };
    }
    case 'commitment': return { id: randomRecordId(), fields: { priority, department: 'public-works', summary: 'We will look', status: 'acknowledged' } };
    case 'action_item': return { id: randomRecordId(), fields: { meeting, description: 'Call the city' } };
    case 'outcome': {
      // One verdict per (meeting, priority), as a tally.
      const fresh = world.freshPriority(where);
      return { id: deriveId('outcome', meeting, fresh), fields: { meeting, priority: fresh, verdict: 'confirmed', decided_on: '2026-11-29' } };
    }
    default: throw new Error(type);
  }
}

const EDITS = {
  organization: ['name', 'Renamed'], meeting: ['title', 'Renamed'], agenda_item: ['notes', 'notes'],
  attendance: ['role', 'business'], priority: ['status', 'adopted'], vote: ['_deleted', true],
  tally: ['count', 7], commitment: ['status', 'in_progress'], action_item: ['done', true], outcome: ['verdict', 'came_back'],
};

function changesFor(maker, world, op, type, where) {
  if (op === 'create') {
    const { id, fields } = newRecord(world, type, where, maker);
    return Object.entries(fields).map(([field, value]) => maker.change({ type, record: id, field, value }));
  }
  const record = world[`${type}@${where}`];
  if (op === 'delete') return [maker.change({ type, record, field: '_deleted', value: true })];
  const [field, value] = EDITS[type];
  return [maker.change({ type, record, field, value })];
}

test('every role x record type x operation x neighborhood is accepted or refused exactly as the roles table says', async () => {
  const coordinator = await connect({ device: newDeviceId('coord') });
  const coordMaker = new ChangeMaker(coordinator.device);
  const world = {};
  const create = async (type, where, fields) => {
    const id = fields.__id ?? randomRecordId();
    delete fields.__id;
    const ack = await coordinator.push(Object.entries(fields).map(([field, value]) => coordMaker.change({ type, record: id, field, value })));
    assert.deepEqual(ack.rejected, [], `world setup ${type}`);
    world[`${type}@${where}`] = id;
    return id;
  };
  for (const where of ['frog-hollow', 'parkville']) {
    await create('organization', where, { name: 'Block club', kind: 'block_group', neighborhood: where });
    const meeting = await create('meeting', where, { neighborhood: where, kind: 'psc', title: 'PSC', start: '2026-11-29T18:30Z', status: 'held' });
    const priority = await create('priority', where, { title: 'Lights', category: 'public_safety', status: 'proposed', neighborhood: where });
    await create('agenda_item', where, { meeting, order: 1, title: 'Welcome' });
    await create('attendance', where, { __id: deriveId('attendance', meeting, 'Ana'), meeting, name: 'Ana', role: 'resident' });
    const voter = randomRecordId();
    await create('vote', where, { __id: deriveId('vote', meeting, priority, voter), meeting, priority, voter });
    await create('tally', where, { __id: deriveId('tally', meeting, priority), meeting, priority, count: 4 });
    await create('commitment', where, { priority, department: 'public-works', summary: 'Fix', status: 'acknowledged' });
    await create('action_item', where, { meeting, description: 'Call' });
    await create('outcome', where, { __id: deriveId('outcome', meeting, priority), meeting, priority, verdict: 'not_solved', decided_on: '2026-11-29' });
  }
  // The leaders' meeting: a Frog Hollow leader signed in with her
  // organization, an action item for Frog Hollow about a Parkville priority.
  const leaders = await create('meeting', 'citywide', { neighborhood: 'citywide', kind: 'citywide_leaders', title: 'Leaders', start: '2026-11-30T22:00Z', status: 'held' });
  await create('agenda_item', 'citywide', { meeting: leaders, order: 1, title: 'Roll-up' });
  await create('attendance', 'citywide', { __id: deriveId('attendance', leaders, 'Rosa'), meeting: leaders, name: 'Rosa', role: 'resident',
                                           neighborhood: 'frog-hollow', organization: world['organization@frog-hollow'] });
  await create('action_item', 'citywide', { meeting: leaders, description: 'Walk Park St', neighborhood: 'frog-hollow', priority: world['priority@parkville'] });
  const fresh = [];
  world.freshPriority = (where) => { const id = fresh.shift(); return id; };

  // One connected device per role.
  const kioskCodeOwner = await login('org-fh', 'org-for-kiosk');
  const kioskToken = await kioskSignIn(server, kioskCodeOwner, 'kiosk-table');
  const roles = {
    coordinator: { client: coordinator, actor: 'tester' },
    organizer: { client: await connect({ device: 'org-table', account: 'org-fh' }), actor: 'org-fh' },
    liaison: { client: await connect({ device: 'dpw-table', account: 'liaison-dpw' }), actor: 'liaison-dpw' },
    viewer: { client: await connect({ device: 'viewer-table', account: 'viewer-fh' }), actor: 'viewer-fh' },
    kiosk: { client: await connect({ device: 'kiosk-table', token: kioskToken.token }), actor: kioskToken.account },
  };

  const mismatches = [];
  for (const [role, { client, actor }] of Object.entries(roles)) {
    // One clock per device: the coordinator's device already has one.
    const maker = role === 'coordinator' ? coordMaker : new ChangeMaker(client.device, { actor });
    for (const type of TYPES) for (const op of ['create', 'edit', 'delete']) for (const where of PLACES) {
      if (where === 'citywide' && !CITY_TYPES.includes(type)) continue;
      if ((type === 'tally' || type === 'outcome') && op === 'create') {
        // The fresh priority the tally or verdict points at, made by the coordinator.
        const p = randomRecordId();
        const ack = await coordinator.push(coordMaker.priority({ record: p, neighborhood: where }));
        assert.deepEqual(ack.rejected, []);
        fresh.push(p);
      }
      const changes = changesFor(maker, world, op, type, where);
      const ack = await client.push(changes);
      const allowed = ack.rejected.length === 0 && ack.accepted.length === changes.length;
      const refused = ack.accepted.length === 0 && ack.rejected.every((r) => r.code === 'forbidden');
      const want = expected(role, op, type, where);
      if (!(want ? allowed : refused))
        mismatches.push(`${role} ${op} ${type} in ${where}: wanted ${want ? 'accepted' : 'forbidden'}, got ${JSON.stringify(ack.rejected.slice(0, 2))} / ${ack.accepted.length} accepted`);
      else if (!want) assert.match(ack.rejected[0].message, /\w/);
      // Undo an accepted delete, so later rows can still refer to the record.
      const deletion = changes.find((c) => c.field === '_deleted' && c.value === true);
      if (allowed && deletion) {
        // Stamped after the deletion it names as base, as a device that has
        // seen it would (another device's clock may be ahead within the same
        // millisecond: invalid_base).
        const after = parseInt(deletion.hlc.slice(0, 12), 16) + 1;
        const undo = await coordinator.push([coordMaker.change({ type, record: deletion.record, field: '_deleted', value: false,
                                                                 base: [deletion.id], atMs: after })]);
        assert.deepEqual(undo.rejected, []);
      }
    }
  }
  assert.deepEqual(mismatches, []);

  // A change signed with someone else's name is refused.
  // A stamp of its own (1970), so it cannot collide with the organizer's clock.
  const forged = new ChangeMaker('org-table', { actor: 'tester' }).change({ type: 'priority', record: world['priority@frog-hollow'], field: 'title', value: 'Forged', atMs: 1000 });
  const ack = await roles.organizer.client.push([forged]);
  assert.equal(ack.rejected[0]?.code, 'actor_mismatch');

  // What each role receives on catch-up matches its read scope.
  const seen = async (device, account, token) => {
    const c = await connect({ device: newDeviceId(device), account, token });
    // Reference data (neighborhoods, the city's departments and categories) reaches everyone.
    const reference = ['neighborhood', 'department', 'category'];
    const kinds = new Set(c.catchUp.changes.filter((ch) => !reference.includes(ch.type)).map((ch) => ch.type));
    const neighborhoods = c.catchUp.changes.filter((ch) => ch.type === 'neighborhood').length;
    const lists = new Set(c.catchUp.changes.filter((ch) => ch.type === 'department' || ch.type === 'category').map((ch) => ch.type));
    await c.close();
    return { kinds: [...kinds].sort(), records: new Set(c.catchUp.changes.map((ch) => ch.record)), neighborhoods, lists };
  };
  const everything = await seen('all', 'tester');
  const organizer = await seen('o', 'org-fh');
  const liaison = await seen('l', 'liaison-dpw');
  for (const view of [everything, organizer, liaison]) {
    assert.equal(view.neighborhoods, 17, 'reference data for all');
    assert.equal(view.lists.size, 2, 'the departments and categories for all');
  }
  assert.deepEqual(everything.kinds, [...TYPES].sort());
  assert.ok(organizer.records.has(world['attendance@frog-hollow']));
  assert.ok(!organizer.records.has(world['attendance@parkville']), 'an organizer never receives another neighborhood');
  assert.ok(!organizer.records.has(world['priority@parkville']));
  // A liaison: priorities, commitments and verdicts city-wide, and the
  // leaders' meeting, but no neighborhood's meetings or sign-ins.
  assert.deepEqual(liaison.kinds, ['action_item', 'agenda_item', 'attendance', 'commitment', 'meeting', 'outcome', 'priority']);
  assert.ok(liaison.records.has(world['priority@parkville']) && liaison.records.has(world['priority@frog-hollow']));
  assert.ok(!liaison.records.has(world['meeting@frog-hollow']) && !liaison.records.has(world['attendance@parkville']));
  for (const type of CITY_TYPES) {
    assert.ok(organizer.records.has(world[`${type}@citywide`]), `every organizer receives the leaders' ${type}`);
    assert.ok(liaison.records.has(world[`${type}@citywide`]), `every liaison receives the leaders' ${type}`);
  }

  const kioskDevice = newDeviceId('kiosk2');
  const kiosk2 = await kioskSignIn(server, kioskCodeOwner, kioskDevice);
  const kc = await connect({ device: kioskDevice, token: kiosk2.token });
  const kioskTypes = new Set(kc.catchUp.changes.map((ch) => ch.type));
  assert.ok(!kioskTypes.has('attendance'), 'a kiosk never receives attendee names');
  // No person's name: the only names a kiosk gets are places' and the city's lists'.
  assert.ok(kc.catchUp.changes.every((ch) => ch.field !== 'name' || ['neighborhood', 'department', 'category'].includes(ch.type)));
  assert.ok(kc.catchUp.changes.some((ch) => ch.record === world['priority@frog-hollow']));
  assert.ok(!kc.catchUp.changes.some((ch) => ch.record === world['priority@parkville']));
  assert.ok(!kc.catchUp.changes.some((ch) => ch.record === world['meeting@citywide']), 'a kiosk is for its neighborhood only');

  // Live fan-out is scoped too: a Parkville change reaches the coordinator, not the Frog Hollow organizer.
  const watcher = roles.organizer.client;
  const pk = coordMaker.change({ type: 'priority', record: world['priority@parkville'], field: 'title', value: 'Parkville live' });
  const fh = coordMaker.change({ type: 'priority', record: world['priority@frog-hollow'], field: 'title', value: 'Frog Hollow live' });
  await coordinator.push([pk]);
  await coordinator.push([fh]);
  const live = await watcher.next((m) => m.type === 'changes' && m.changes.some((c) => c.id === fh.id));
  assert.ok(!live.changes.some((c) => c.id === pk.id));
  assert.ok(!watcher.received.some((m) => m.type === 'changes' && (m.changes ?? []).some((c) => c.id === pk.id)));
  // ... and the leaders' meeting reaches every organizer and liaison live.
  const city = coordMaker.change({ type: 'meeting', record: world['meeting@citywide'], field: 'minutes', value: 'Leaders met' });
  await coordinator.push([city]);
  for (const client of [watcher, roles.liaison.client, roles.viewer.client])
    await client.next((m) => m.type === 'changes' && m.changes.some((c) => c.id === city.id));
  assert.ok(!roles.kiosk.client.received.some((m) => m.type === 'changes' && (m.changes ?? []).some((c) => c.id === city.id)));
});

test('expired tokens are refused', async () => {
  const device = newDeviceId('expiring');
  const line = server.admin('issue-token', '--username', 'tester', '--device', device, '--expires-in-seconds', '0');
  const token = line.trim().split(' ')[1];
  await new Promise((r) => setTimeout(r, 5));
  await expectRefused({ device, token });
  const fresh = newDeviceId('fresh');
  const ok = server.admin('issue-token', '--username', 'tester', '--device', fresh, '--expires-in-seconds', '3600');
  const client = await connect({ device: fresh, token: ok.trim().split(' ')[1] });
  assert.equal(client.welcome.type, 'welcome');
});

test('an organizer lists its kiosks and revokes one from its own device; others cannot', async () => {
  const org = await login('org-fh', newDeviceId('org'));
  const headers = { authorization: `Bearer ${org.token}`, 'x-psc-device': org.device };
  const tablet = newDeviceId('kiosk-tab');
  const kiosk = await kioskSignIn(server, org, tablet);
  await (await connect({ device: tablet, token: kiosk.token })).close();

  const list = await (await fetch(`${server.url}/api/kiosks`, { headers })).json();
  const mine = list.find((k) => k.device === tablet);
  assert.ok(mine, 'the kiosk is listed for its organizer');
  assert.ok(mine.expires_at > Date.now(), 'kiosk tokens expire');
  assert.ok(list.every((k) => k.neighborhood === 'frog-hollow'));

  server.createAccount('org-pk2', 'organizer', { neighborhood: 'parkville', password: PASSWORD });
  const other = await login('org-pk2', newDeviceId('org-pk'));
  const refused = await post('/api/kiosks/revoke', { id: mine.id }, other);
  assert.equal(refused.status, 404, 'not another neighborhood\'s kiosk');

  const revoked = await post('/api/kiosks/revoke', { id: mine.id }, org);
  assert.equal(revoked.status, 200);
  await expectRefused({ device: tablet, token: kiosk.token });
});
