// Invalid changes in a push are rejected one by one with a clear code and
// message; the rest of the batch is accepted and stored; nothing rejected is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catchUp, ChangeMaker, randomRecordId } from '../support/sync_client.mjs';
import { assertStoredExactly, useServer } from './support.mjs';

const HOUR_MS = 60 * 60 * 1000;

let server;
const { connect } = useServer({ started: (s) => { server = s; } });

// The ack's rejection of `change`, checked to be well formed.
function rejectionOf(ack, change) {
  const found = ack.rejected.filter((r) => r.change === (typeof change === 'string' ? change : change.id));
  assert.equal(found.length, 1, `one rejection of ${change.id ?? change}; ack: ${JSON.stringify(ack)}`);
  const [r] = found;
  assert.equal(typeof r.code, 'string');
  assert.ok(r.code.length > 0, 'a code');
  assert.equal(typeof r.message, 'string');
  assert.ok(r.message.length > 0, 'a message');
  return r;
}

function assertAckPartition(ack, accepted, rejected) {
  assert.deepEqual([...ack.accepted].sort(), accepted.map((c) => c.id).sort(), 'accepted are exactly the valid ones');
  assert.deepEqual(ack.rejected.map((r) => r.change).sort(), rejected.map((c) => c.id ?? c).sort(),
                   'rejected are exactly the invalid ones');
}

test('invalid new records are rejected with a clear code and message; the valid one in the batch is stored', async () => {
  const start = await catchUp(server.wsUrl);
  const seedName = start.changes.find((c) => c.type === 'neighborhood' && c.record === 'frog-hollow');
  const client = await connect({ cursor: start.cursor });
  const maker = new ChangeMaker(client.device);

  const valid = maker.priority({ title: 'Blight at 123 Main St', category: 'housing_blight' });
  const badEnum = maker.priority({ category: 'space_aliens' });
  const tooLong = maker.priority({ title: 'x'.repeat(201) });
  const unknownNeighborhood = maker.priority({ neighborhood: 'atlantis' });
  const missingRecord = randomRecordId();
  const missing = [maker.change({ type: 'priority', record: missingRecord, field: 'title', value: 'Only a title' })];
  const unknownType = [maker.change({ type: 'spaceship', record: randomRecordId(), field: 'name', value: 'Enterprise' })];
  const readOnly = [maker.change({ type: 'neighborhood', record: 'frog-hollow', field: 'name', value: 'Frog Holler',
                                   base: [seedName.id] })];
  const newNeighborhood = [maker.change({ type: 'neighborhood', record: 'atlantis', field: 'name', value: 'Atlantis' })];
  const invalid = [...badEnum, ...tooLong, ...unknownNeighborhood, ...missing, ...unknownType, ...readOnly,
                   ...newNeighborhood];

  const ack = await client.push([...badEnum, ...valid, ...tooLong, ...unknownNeighborhood, ...missing, ...unknownType,
                                 ...readOnly, ...newNeighborhood]);
  assertAckPartition(ack, valid, invalid);

  const enumRejection = rejectionOf(ack, badEnum.find((c) => c.field === 'category'));
  assert.equal(enumRejection.code, 'invalid_field');
  assert.match(enumRejection.message, /category/);
  // A new record's changes stand or fall together: its valid fields are refused too, with a reason.
  for (const change of badEnum) rejectionOf(ack, change);

  const lengthRejection = rejectionOf(ack, tooLong.find((c) => c.field === 'title'));
  assert.equal(lengthRejection.code, 'invalid_field');
  assert.match(lengthRejection.message, /title/);

  const referenceRejection = rejectionOf(ack, unknownNeighborhood.find((c) => c.field === 'neighborhood'));
  assert.equal(referenceRejection.code, 'invalid_field');
  assert.match(referenceRejection.message, /atlantis/);

  const missingRejection = rejectionOf(ack, missing[0]);
  assert.equal(missingRejection.code, 'missing_field');
  assert.match(missingRejection.message, /category|status|neighborhood/);

  const typeRejection = rejectionOf(ack, unknownType[0]);
  assert.equal(typeRejection.code, 'unknown_type');
  assert.match(typeRejection.message, /spaceship/);

  assert.equal(rejectionOf(ack, readOnly[0]).code, 'read_only');
  assert.equal(rejectionOf(ack, newNeighborhood[0]).code, 'read_only');

  await assertStoredExactly(server, start.changes, valid, 'only the valid priority is stored');
});

test('invalid edits of an existing record are rejected; the valid edit is stored', async () => {
  const client = await connect();
  const maker = new ChangeMaker(client.device);
  const created = maker.priority({ title: 'Graffiti on Park St wall' });
  assert.equal((await client.push(created)).accepted.length, created.length);
  const start = await catchUp(server.wsUrl);
  const base = (field) => [created.find((c) => c.field === field).id];
  const record = created[0].record;
  const edit = (field, value) => maker.change({ type: 'priority', record, field, value, base: base(field) });

  const validEdit = edit('status', 'in_progress');
  const badStatus = edit('status', 'maybe');
  const unknownField = maker.change({ type: 'priority', record, field: 'colour', value: 'red' });
  const movedNeighborhood = edit('neighborhood', 'south-green');  // immutable
  const rankOutOfRange = maker.change({ type: 'priority', record, field: 'rank', value: 0 });
  const wrongKind = maker.change({ type: 'priority', record, field: 'rank', value: 'first' });
  const nullTitle = edit('title', null);
  const emptyTitle = edit('title', '   ');

  const invalid = [badStatus, unknownField, movedNeighborhood, rankOutOfRange, wrongKind, nullTitle, emptyTitle];
  const ack = await client.push([badStatus, unknownField, validEdit, movedNeighborhood, rankOutOfRange, wrongKind,
                                 nullTitle, emptyTitle]);
  assertAckPartition(ack, [validEdit], invalid);
  for (const change of invalid) {
    const r = rejectionOf(ack, change);
    assert.equal(r.code, 'invalid_field', `${change.field}=${JSON.stringify(change.value)}: ${r.message}`);
    assert.ok(r.message.includes(change.field), `the message names the field: ${r.message}`);
  }
  await assertStoredExactly(server, start.changes, [validEdit], 'only the valid edit is stored');
});

test('malformed change entries are rejected with invalid_change; the rest of the batch is stored', async () => {
  const start = await catchUp(server.wsUrl);
  const client = await connect({ cursor: start.cursor });
  const maker = new ChangeMaker(client.device);
  const valid = maker.priority({ title: 'Loose dogs near the park' });
  const wrongId = { ...maker.change({ type: 'priority', record: valid[0].record, field: 'address', value: '1 Main St' }) };
  wrongId.id = `${'0'.repeat(16)}@${client.device}`;  // does not match its hlc
  const badHlc = maker.change({ type: 'priority', record: valid[0].record, field: 'address', value: '2 Main St' });
  badHlc.hlc = 'NOT-A-CLOCK';
  badHlc.id = `NOT-A-CLOCK@${client.device}`;

  const ack = await client.push([wrongId, ...valid, badHlc, 42]);
  assert.deepEqual([...ack.accepted].sort(), valid.map((c) => c.id).sort());
  assert.equal(ack.rejected.length, 3, JSON.stringify(ack.rejected));
  for (const id of [wrongId.id, badHlc.id]) assert.equal(rejectionOf(ack, id).code, 'invalid_change');
  const notAnObject = ack.rejected.find((r) => r.change !== wrongId.id && r.change !== badHlc.id);
  assert.equal(notAnObject.code, 'invalid_change', JSON.stringify(notAnObject));
  assert.ok(notAnObject.message.length > 0);
  await assertStoredExactly(server, start.changes, valid, 'only the valid priority is stored');
});

test('a change stamped more than an hour ahead of the server clock is rejected with clock_skew', async () => {
  const start = await catchUp(server.wsUrl);
  const client = await connect({ cursor: start.cursor });
  const serverNow = client.welcome.server_time;
  const maker = new ChangeMaker(client.device);

  const onTime = maker.priority({ title: 'On time', atMs: serverNow });
  const slightlyAhead = maker.priority({ title: 'Half an hour ahead', atMs: serverNow + HOUR_MS / 2 });
  const farAhead = maker.priority({ title: 'Two hours ahead', atMs: serverNow + 2 * HOUR_MS });
  const ack = await client.push([...onTime, ...farAhead, ...slightlyAhead]);
  assertAckPartition(ack, [...onTime, ...slightlyAhead], farAhead);
  for (const change of farAhead) {
    const r = rejectionOf(ack, change);
    assert.equal(r.code, 'clock_skew', r.message);
  }

  // An edit of an existing record, a year ahead.
  const title = onTime.find((c) => c.field === 'title');
  const future = new ChangeMaker(client.device).change({ type: 'priority', record: title.record, field: 'title',
                                                         value: 'From the future', base: [title.id],
                                                         atMs: serverNow + 365 * 24 * HOUR_MS });
  const ack2 = await client.push([future]);
  assertAckPartition(ack2, [], [future]);
  assert.equal(rejectionOf(ack2, future).code, 'clock_skew');

  await assertStoredExactly(server, start.changes, [...onTime, ...slightlyAhead], 'skewed changes are not stored');
});
