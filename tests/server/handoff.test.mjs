// Offline hand-off: a tablet's unsynced changes leave it as a signed file; the
// server takes the file like a push from that tablet (same authorization and
// validation, idempotent) and refuses a tampered or forged one.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChangeMaker, catchUp, newDeviceId, randomRecordId } from '../support/sync_client.mjs';
import { handoffFile, useServer } from './support.mjs';

let server;
let tablet;
let tabletToken;
useServer({
  prepare: (s) => s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow' }),
  started: (s) => {
    server = s;
    tablet = newDeviceId('tablet');
    tabletToken = server.token(tablet, 'org-fh');
  },
});

// The tablet's hand-off file of `changes` (another token or device for a forged one).
const tabletFile = (changes, { token = tabletToken, device = tablet } = {}) =>
  handoffFile(changes, { token, device, account: 'org-fh' });

async function upload(file, { auth = true } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (auth) {
    const desk = newDeviceId('desk');
    headers.authorization = `Bearer ${server.token(desk)}`;
    headers['x-psc-device'] = desk;
  }
  const response = await fetch(`${server.url}/api/handoff`, { method: 'POST', headers, body: JSON.stringify(file) });
  return { status: response.status, body: await response.json() };
}

test('a hand-off file is taken like a push from its tablet, and importing it twice stores nothing twice', async () => {
  const maker = new ChangeMaker(tablet, { actor: 'org-fh' });
  const changes = [...maker.priority({ title: 'Never synced concern', neighborhood: 'frog-hollow' }),
                   ...maker.priority({ title: 'Outside my neighborhood', neighborhood: 'parkville' })];
  const file = tabletFile(changes);
  const first = await upload(file);
  assert.equal(first.status, 200);
  assert.equal(first.body.accepted.length, 4);
  assert.equal(first.body.rejected.length, 4);
  assert.equal(first.body.already_stored, 0);
  assert.ok(first.body.rejected.every((r) => r.code === 'forbidden'), 'authorized as the tablet\'s organizer');
  const again = await upload(file);
  assert.deepEqual(again.body.accepted.sort(), first.body.accepted.sort());
  assert.equal(again.body.already_stored, 4, 'the answer says the server already had them');
  const { changes: stored } = await catchUp(server.wsUrl);
  for (const id of first.body.accepted) assert.equal(stored.filter((c) => c.id === id).length, 1, 'stored once');
});

test('a tampered or forged file is refused and nothing of it is stored', async () => {
  const maker = new ChangeMaker(tablet, { actor: 'org-fh' });
  const record = randomRecordId();
  const file = tabletFile(maker.priority({ record, title: 'Original title' }));
  const tampered = { ...file, payload: file.payload.replace('Original title', 'Changed title') };
  const refused = await upload(tampered);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error, 'tampered');
  const forged = tabletFile(maker.priority({ record: randomRecordId() }), { token: 'f'.repeat(64) });
  assert.equal((await upload(forged)).body.error, 'tampered');
  assert.equal((await upload(tabletFile([], { device: 'no-such-device' }))).status, 403);
  assert.equal((await upload({ format: 'zip' })).status, 400);
  assert.equal((await upload(file, { auth: false })).status, 401);
  const { changes } = await catchUp(server.wsUrl);
  assert.ok(!changes.some((c) => c.record === record), 'nothing stored');
});
