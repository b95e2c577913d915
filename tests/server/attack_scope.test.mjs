// An attacker's suite for the write rules, over real sockets against the real
// server: each test is one message that tried to get around a rule on e21dc14
// (where every one of them was accepted), then what an attacker tries next.
//  - a scope field set twice in one push, in the order the merge reverses;
//  - changes stamped with another tablet's device id;
//  - a base naming a change from the future, or one never received;
//  - a control character that breaks the public Open311 XML;
//  - a CSV cell a spreadsheet would run as a formula;
//  - a count, vote, verdict or action item on another neighborhood's priority
//    (its id read from the public Open311 feed) at one's own meeting.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChangeMaker, hlcText, newDeviceId, randomRecordId } from '../support/sync_client.mjs';
import { deriveId, kioskSignIn, signIn, useServer } from './support.mjs';

const PASSWORD = 'a-long-password-1';
let server;
const sync = useServer({
  prepare: (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow', password: PASSWORD });
    s.createAccount('org-ah', 'organizer', { neighborhood: 'asylum-hill', password: PASSWORD });
    s.createAccount('liaison-dpw', 'liaison', { department: 'public-works', password: PASSWORD });
  },
  started: (s) => { server = s; },
});

// `client` with a ChangeMaker (client.maker) stamping its changes as its account.
function withMaker(client) {
  client.maker = new ChangeMaker(client.device, { actor: client.welcome.actor });
  return client;
}
// A new device of `account`.
const connect = async (account) => withMaker(await sync.connect({ account, device: newDeviceId(account) }));

const codesOf = (ack) => ack.rejected.map((r) => r.code);

// A kiosk of Frog Hollow, set up with a code from its organizer.
async function kioskClient() {
  const organizer = await signIn(server, 'org-fh', PASSWORD, newDeviceId('org'));
  const tablet = newDeviceId('kiosk');
  const kiosk = await kioskSignIn(server, organizer, tablet);
  return withMaker(await sync.connect({ device: tablet, token: kiosk.token }));
}

// A new priority whose neighborhood is set twice: `shown` at the higher hlc
// (what the merge displays) first, then `claimed` at a lower hlc, last.
function twoNeighborhoods(maker, shown, claimed) {
  const record = randomRecordId();
  const now = Date.now();
  const at = (ms, field, value) => maker.change({ type: 'priority', record, field, value, hlc: hlcText(ms, 0) });
  return {
    record,
    changes: [at(now, 'title', 'Escape'), maker.change({ type: 'priority', record, field: 'category', value: 'youth', hlc: hlcText(now, 1) }),
      maker.change({ type: 'priority', record, field: 'status', value: 'proposed', hlc: hlcText(now, 2) }),
      at(now + 20, 'neighborhood', shown), at(now + 5, 'neighborhood', claimed)],
  };
}

test('a scope field set twice in one push, in the order the merge reverses, is refused as a whole', async () => {
  const frogHollow = await connect('org-fh');
  const asylumHill = await connect('org-ah');
  const { record, changes } = twoNeighborhoods(frogHollow.maker, 'asylum-hill', 'frog-hollow');
  const ack = await frogHollow.push(changes);
  assert.deepEqual(ack.accepted, [], `nothing of the record is accepted: ${JSON.stringify(ack)}`);
  assert.equal(ack.rejected.length, changes.length);

  // The same record with its neighborhood once is fine; Asylum Hill never sees it.
  const honest = changes.slice(0, 3).concat(frogHollow.maker.change({ type: 'priority', record, field: 'neighborhood', value: 'frog-hollow' }));
  // Not a resend of refused ids: fresh stamps for the same record.
  const fresh = honest.map((c) => frogHollow.maker.change({ type: c.type, record: c.record, field: c.field, value: c.value }));
  const ok = await frogHollow.push(fresh);
  assert.deepEqual(ok.rejected, []);
  const probe = await connect('org-ah');
  assert.ok(!probe.catchUp.changes.some((c) => c.record === record), 'Asylum Hill does not receive it');
  assert.ok(!asylumHill.inbox.some((m) => m.type === 'changes' && m.changes.some((c) => c.record === record)));

  // Setting it again after creation, to either value, with or without a base.
  const moved = frogHollow.maker.change({ type: 'priority', record, field: 'neighborhood', value: 'asylum-hill',
                                          base: [fresh[3].id] });
  assert.deepEqual(codesOf(await frogHollow.push([moved])), ['invalid_field']);
});

test("another neighborhood's priority, its id read from the public Open311 feed, cannot be counted or judged at one's own meeting", async () => {
  // Asylum Hill adopts a priority: public, so its id is in the Open311 feed.
  const asylumHill = await connect('org-ah');
  const target = randomRecordId();
  assert.deepEqual((await asylumHill.push(asylumHill.maker.priority({
    record: target, title: 'Asylum Hill streetlights', neighborhood: 'asylum-hill', status: 'resolved', extra: { adopted_on: '2026-11-01' },
  }))).rejected, []);
  const feed = await (await fetch(`${server.url}/open311/v2/requests.json`)).json();
  assert.ok(feed.some((r) => r.service_request_id === target), 'the id is public');

  // A Frog Hollow organizer holds a meeting of its own...
  const frogHollow = await connect('org-fh');
  const { maker } = frogHollow;
  const meeting = randomRecordId();
  const create = (type, record, fields) => Object.entries(fields).map(([field, value]) => maker.change({ type, record, field, value }));
  assert.deepEqual((await frogHollow.push(create('meeting', meeting, {
    neighborhood: 'frog-hollow', kind: 'psc', title: 'FH PSC', start: '2026-12-01T23:00Z', status: 'held',
  }))).rejected, []);
  // ...and tries, in one message each, to judge, count, vote on and act on Asylum Hill's priority there.
  const voter = randomRecordId();  // a pseudonym, as the app's attendance ids
  const attempts = {
    outcome: { id: deriveId('outcome', meeting, target), fields: { meeting, priority: target, verdict: 'confirmed', decided_on: '2026-12-01' } },
    tally: { id: deriveId('tally', meeting, target), fields: { meeting, priority: target, count: 99 } },
    vote: { id: deriveId('vote', meeting, target, voter), fields: { meeting, priority: target, voter } },
    action_item: { id: randomRecordId(), fields: { meeting, priority: target, description: 'Close it' } },
  };
  for (const [type, { id, fields }] of Object.entries(attempts)) {
    const changes = create(type, id, fields);
    const ack = await frogHollow.push(changes);
    assert.deepEqual(ack.accepted, [], `${type}: nothing of it is stored`);
    assert.ok(ack.rejected.length === changes.length && ack.rejected.every((r) => r.code === 'invalid_field'), JSON.stringify(ack.rejected));
    assert.match(ack.rejected.find((r) => /belongs to/.test(r.message))?.message ?? '', /belongs to asylum-hill, not frog-hollow/);
  }
  // Nor can a new priority of its own be filed as raised at Asylum Hill's meeting, or an
  // existing action item be pointed at the other neighborhood's priority afterwards.
  const theirs = randomRecordId();
  assert.deepEqual((await asylumHill.push(Object.entries({ neighborhood: 'asylum-hill', kind: 'psc', title: 'AH PSC', start: '2026-12-02T23:00Z', status: 'held' })
    .map(([field, value]) => asylumHill.maker.change({ type: 'meeting', record: theirs, field, value })))).rejected, []);
  assert.deepEqual((await frogHollow.push(frogHollow.maker.priority({ neighborhood: 'frog-hollow', extra: { meeting: theirs } }))).accepted, []);
  const item = randomRecordId();
  assert.deepEqual((await frogHollow.push(create('action_item', item, { meeting, description: 'Call DPW' }))).rejected, []);
  const moved = await frogHollow.push([maker.change({ type: 'action_item', record: item, field: 'priority', value: target })]);
  assert.deepEqual(codesOf(moved), ['invalid_field']);
  // Asylum Hill's own verdict is still possible, at its own meeting.
  const own = { meeting: theirs, priority: target, verdict: 'confirmed', decided_on: '2026-12-02' };
  assert.deepEqual((await asylumHill.push(Object.entries(own).map(([field, value]) => asylumHill.maker.change({
    type: 'outcome', record: deriveId('outcome', theirs, target), field, value,
  })))).rejected, []);
});

test('a kiosk cannot move its new priority to another neighborhood either', async () => {
  const client = await kioskClient();
  const { maker } = client;
  const { changes } = twoNeighborhoods(maker, 'asylum-hill', 'frog-hollow');
  const ack = await client.push(changes);
  assert.deepEqual(ack.accepted, []);
  const reversed = twoNeighborhoods(maker, 'frog-hollow', 'asylum-hill');
  assert.deepEqual((await client.push(reversed.changes)).accepted, []);
});

test("a liaison cannot file another department's commitment by naming its department twice", async () => {
  const coordinator = await connect('tester');
  const priority = coordinator.maker.priority({ status: 'adopted' });
  assert.deepEqual((await coordinator.push(priority)).rejected, []);
  const liaison = await connect('liaison-dpw');
  const record = randomRecordId();
  const now = Date.now();
  const m = liaison.maker;
  const change = (field, value, ms, counter = 0) =>
    m.change({ type: 'commitment', record, field, value, hlc: hlcText(ms, counter) });
  const ack = await liaison.push([change('priority', priority[0].record, now, 0), change('summary', 'Done', now, 1),
    change('status', 'done', now, 2), change('department', 'police', now + 30), change('department', 'public-works', now + 1)]);
  assert.deepEqual(ack.accepted, [], JSON.stringify(ack));
  const probe = await connect('tester');
  assert.ok(!probe.catchUp.changes.some((c) => c.record === record), 'no commitment is stored');
});

test("changes stamped with another tablet's device id are refused, and that tablet's own changes still go through", async () => {
  const victim = await connect('org-fh');
  const attacker = await connect('org-ah');
  // The attacker's changes carry the victim's device id and future stamps.
  const forger = new ChangeMaker(victim.device, { actor: attacker.welcome.actor, offsetMs: 10 * 60 * 1000 });
  const forged = forger.priority({ neighborhood: 'asylum-hill' });
  const ack = await attacker.push(forged);
  assert.deepEqual(ack.accepted, []);
  assert.deepEqual([...new Set(codesOf(ack))], ['device_mismatch']);

  // The victim's own next changes (same ids the forger used, even) are accepted.
  const victimMaker = new ChangeMaker(victim.device, { actor: victim.welcome.actor, offsetMs: 10 * 60 * 1000 });
  const own = victimMaker.priority();
  const mine = await victim.push(own);
  assert.deepEqual(mine.rejected, []);
  const history = await fetch(`${server.url}/api/history?type=priority&id=${forged[0].record}`, {
    headers: { authorization: `Bearer ${server.token('audit-desk')}`, 'x-psc-device': 'audit-desk' },
  });
  assert.deepEqual((await history.json()).history, [], 'the audit trail names no forged change');
});

test('a base from the future, or naming a change never received, is refused; the later honest edit shows', async () => {
  const author = await connect('org-fh');
  const attacker = await connect('org-fh');
  const victim = await connect('org-fh');
  const priority = author.maker.priority();
  assert.deepEqual((await author.push(priority)).rejected, []);
  const title = priority.find((c) => c.field === 'title');

  // The attacker names the victim's next edit (a guessed id, one minute ahead) in its base.
  const guessedStamp = hlcText(Date.now() + 60_000, 0);
  const guessed = `${guessedStamp}@${victim.device}`;
  const early = attacker.maker.change({ type: 'priority', record: title.record, field: 'title', value: 'Mine', base: [title.id, guessed] });
  assert.deepEqual(codesOf(await attacker.push([early])), ['invalid_base']);
  const late = attacker.maker.change({ type: 'priority', record: title.record, field: 'title', value: 'Mine',
                                       base: [title.id, guessed], hlc: hlcText(Date.now() + 120_000, 0) });
  assert.deepEqual(codesOf(await attacker.push([late])), ['unknown_base']);

  // The victim's edit at exactly that id is accepted and displayed.
  const edit = victim.maker.change({ type: 'priority', record: title.record, field: 'title', value: 'Honest', base: [title.id], hlc: guessedStamp });
  assert.equal(edit.id, guessed);
  assert.deepEqual((await victim.push([edit])).rejected, []);
  const probe = await connect('org-fh');
  const titles = probe.catchUp.changes.filter((c) => c.record === title.record && c.field === 'title').map((c) => c.value);
  assert.deepEqual(titles.sort(), ['Honest', title.value].sort());
});

test('a control character is refused, so the public Open311 XML stays well-formed', async () => {
  const client = await connect('tester');
  const refused = client.maker.priority({ title: 'bell\u0001' });
  const ack = await client.push(refused);
  assert.deepEqual(ack.accepted, []);
  assert.ok(ack.rejected.some((r) => r.code === 'invalid_field' && /control character/.test(r.message)), JSON.stringify(ack));
  const ok = client.maker.priority({ title: 'tab\tand\nlines', neighborhood: 'frog-hollow', status: 'adopted' });
  assert.deepEqual((await client.push(ok)).rejected, []);
  const xml = await (await fetch(`${server.url}/open311/v2/requests.xml`)).text();
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml), 'no character XML forbids');
  assert.ok(xml.includes('tab\tand\nlines'), 'the adopted priority is in the feed');
});

test('an exported CSV cell that a spreadsheet would run as a formula stays text', async () => {
  const client = await connect('tester');
  const formulas = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1'];
  for (const title of formulas)
    assert.deepEqual((await client.push(client.maker.priority({ title, neighborhood: 'parkville' }))).rejected, []);
  const device = newDeviceId('desk');
  const csv = await (await fetch(`${server.url}/api/export/neighborhood/parkville/priorities.csv`, {
    headers: { authorization: `Bearer ${server.token(device)}`, 'x-psc-device': device },
  })).text();
  const cells = csv.split('\r\n').slice(1).filter(Boolean).map((line) => line.split(',')[0]);
  for (const title of formulas) {
    const escaped = `"'${title.replaceAll('"', '""')}"`;
    assert.ok(csv.includes(escaped), `${JSON.stringify(title)} written as ${escaped}; cells: ${JSON.stringify(cells)}`);
  }
  assert.ok(!/(^|\r\n|,)[=+\-@]/.test(csv), 'no cell starts with a formula sign');
});

test('a kiosk cannot tell who signed in: signing in a name already there is answered like a new one', async () => {
  const organizer = await connect('org-fh');
  const m = organizer.maker;
  const meeting = randomRecordId();
  const meetingFields = { neighborhood: 'frog-hollow', kind: 'psc', title: 'December PSC', start: '2026-12-04T23:00Z', status: 'held' };
  assert.deepEqual((await organizer.push(Object.entries(meetingFields).map(([field, value]) =>
    m.change({ type: 'meeting', record: meeting, field, value })))).rejected, []);
  const signIn = (maker, name, role) => {
    const record = deriveId('attendance', meeting, name);
    return Object.entries({ meeting, name, role }).map(([field, value]) => maker.change({ type: 'attendance', record, field, value }));
  };
  assert.deepEqual((await organizer.push(signIn(m, 'Ana Ruiz', 'business'))).rejected, []);

  const kiosk = await kioskClient();
  const known = await kiosk.push(signIn(kiosk.maker, 'Ana Ruiz', 'resident'));
  const unknown = await kiosk.push(signIn(kiosk.maker, 'Zoe Smith', 'resident'));
  assert.deepEqual([known.accepted.length, known.rejected], [3, []]);
  assert.deepEqual([unknown.accepted.length, unknown.rejected], [3, []]);
  // The two sign-ins of Ana merge into one record: a differing role shows as a conflict, nothing is replaced.
  const probe = await connect('org-fh');
  const roles = probe.catchUp.changes.filter((c) => c.record === deriveId('attendance', meeting, 'Ana Ruiz') && c.field === 'role');
  assert.deepEqual(roles.map((c) => c.value).sort(), ['business', 'resident']);
  assert.ok(roles.every((c) => c.base.length === 0));

  // What it still cannot do: edit one field, rename, or delete.
  const ana = deriveId('attendance', meeting, 'Ana Ruiz');
  const edits = [kiosk.maker.change({ type: 'attendance', record: ana, field: 'role', value: 'other' }),
    kiosk.maker.change({ type: 'attendance', record: ana, field: '_deleted', value: true })];
  assert.deepEqual(codesOf(await kiosk.push(edits)), ['forbidden', 'forbidden']);
  const renamed = signIn(kiosk.maker, 'Ana Ruiz', 'resident').map((c) => (c.field === 'name' ? { ...c, value: 'Someone Else' } : c));
  assert.ok(codesOf(await kiosk.push(renamed)).includes('forbidden'));
});

test('a closed meeting takes no new sign-in, dot or minutes until it is reopened', async () => {
  const organizer = await connect('org-fh');
  const m = organizer.maker;
  const meeting = randomRecordId();
  const fields = { neighborhood: 'frog-hollow', kind: 'psc', title: 'Closed PSC', start: '2026-12-04T23:00Z', status: 'held' };
  const created = Object.entries(fields).map(([field, value]) => m.change({ type: 'meeting', record: meeting, field, value }));
  assert.deepEqual((await organizer.push(created)).rejected, []);
  const status = created.find((c) => c.field === 'status');
  const close = m.change({ type: 'meeting', record: meeting, field: 'status', value: 'closed', base: [status.id] });
  assert.deepEqual((await organizer.push([close])).rejected, []);

  const record = deriveId('attendance', meeting, 'Late Comer');
  const late = Object.entries({ meeting, name: 'Late Comer', role: 'resident' })
    .map(([field, value]) => m.change({ type: 'attendance', record, field, value }));
  const minutes = m.change({ type: 'meeting', record: meeting, field: 'minutes', value: 'Added later' });
  assert.deepEqual([...new Set(codesOf(await organizer.push([...late, minutes])))], ['meeting_closed']);

  const reopen = m.change({ type: 'meeting', record: meeting, field: 'status', value: 'held', base: [close.id] });
  assert.deepEqual((await organizer.push([reopen])).rejected, []);
  const retry = late.map((c) => m.change({ type: c.type, record: c.record, field: c.field, value: c.value }));
  assert.deepEqual((await organizer.push(retry)).rejected, []);
});
