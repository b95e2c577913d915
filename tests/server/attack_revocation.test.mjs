// Attacker's suite, revocation (issue 12, item 4): a lost tablet is cut off
// the moment it is revoked. After `admin revoke-device` (another process
// writing the SQLite file), `POST /api/logout`, `admin disable-account` or an
// organizer's kiosk revoke, or when its token expires, the open WebSocket
// gets `unauthorized` and is closed, a push it sends right after the revocation returned is not stored
// (the timing attack), and it is sent no change committed afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChangeMaker, catchUp, newDeviceId } from '../support/sync_client.mjs';
import { request, sleep, tokenIdOf } from './attack_support.mjs';
import { kioskSignIn, signIn, useServer } from './support.mjs';

const PASSWORD = 'a-long-password-1';
let server;
const { connect, open } = useServer({
  prepare: (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow', password: PASSWORD });
    s.createAccount('org-pk', 'organizer', { neighborhood: 'parkville', password: PASSWORD });
  },
  started: (s) => { server = s; },
});

const login = (username, device) => signIn(server, username, PASSWORD, device);

// What every revocation must do to `victim` (a connected client signed in as
// `actor` in frog-hollow), once `revoke()` has returned: the push it sends at
// once is not stored, a change another device commits afterwards is not sent
// to it, and it gets `unauthorized` and is closed.
async function assertCutOff(victim, actor, revoke) {
  const witness = await connect({});  // the test coordinator, on another device
  await revoke();
  // The timing attack: push the moment the revocation has returned.
  const stolen = new ChangeMaker(victim.device, { actor }).priority({ title: 'Pushed after the revocation' });
  victim.send({ type: 'push', batch: 'after-revoke', changes: stolen });
  const later = new ChangeMaker(witness.device).priority({ title: 'Committed after the revocation' });
  assert.deepEqual((await witness.push(later)).rejected, []);

  const closed = await victim.waitClose({ timeoutMs: 5000 });
  const error = victim.received.find((m) => m.type === 'error');
  assert.ok(error, `an error before the close; got ${JSON.stringify(victim.received.slice(-3))}`);
  assert.equal(error.code, 'unauthorized');
  assert.match(error.message, /revoked|disabled|sign in/);
  assert.ok(closed.code >= 1000, 'closed');
  assert.ok(!victim.received.some((m) => m.type === 'ack' && m.batch === 'after-revoke'), 'the push is not acknowledged');
  const laterIds = new Set(later.map((c) => c.id));
  assert.ok(!victim.received.some((m) => m.type === 'changes' && m.changes.some((c) => laterIds.has(c.id))),
            'no change committed after the revocation reaches the revoked device');
  const { changes } = await catchUp(server.wsUrl);
  const stored = new Set(changes.map((c) => c.id));
  assert.ok(stolen.every((c) => !stored.has(c.id)), 'nothing of the push sent after the revocation is stored');
  assert.ok(later.every((c) => stored.has(c.id)));
  witness.terminate();
}

test('admin revoke-device (another process) cuts the open session at once', async () => {
  const device = newDeviceId('lost-tablet');
  const victim = await connect({ device, account: 'org-fh' });
  // Its pushes are accepted until then.
  assert.deepEqual((await victim.push(new ChangeMaker(device, { actor: 'org-fh' }).priority())).rejected, []);
  await assertCutOff(victim, 'org-fh', async () => {
    server.admin('revoke-device', '--id', String(tokenIdOf(server, device)));
  });
});

test('a session whose token expires is cut the moment it expires, not a minute later', async () => {
  const device = newDeviceId('expiring');
  const line = server.admin('issue-token', '--username', 'org-fh', '--device', device, '--expires-in-seconds', '2');
  const expiresBy = Date.now() + 2000;  // the admin process stamped it between the two readings
  const victim = await connect({ device, token: line.trim().split(' ')[1] });
  assert.deepEqual((await victim.push(new ChangeMaker(device, { actor: 'org-fh' }).priority())).rejected, []);
  // The timing attack: its push the moment the token has expired.
  await assertCutOff(victim, 'org-fh', async () => {
    await sleep(expiresBy - Date.now() + 20);
  });
});

test('an idle session whose token expires is closed without any traffic', async () => {
  const device = newDeviceId('expiring-idle');
  const line = server.admin('issue-token', '--username', 'org-fh', '--device', device, '--expires-in-seconds', '1');
  const expiresBy = Date.now() + 1000;
  const victim = await connect({ device, token: line.trim().split(' ')[1] });
  await victim.waitClose({ timeoutMs: 4000 });
  const closedAfter = Date.now() - expiresBy;
  assert.equal(victim.received.find((m) => m.type === 'error')?.code, 'unauthorized');
  assert.ok(closedAfter < 1500, `closed ${closedAfter} ms after the expiry (--revocation-poll-ms 250)`);
});

test('an idle session of a token revoked by an admin command is closed without any traffic', async () => {
  const device = newDeviceId('idle-tablet');
  const victim = await connect({ device, account: 'org-fh' });
  server.admin('revoke-device', '--id', String(tokenIdOf(server, device)));
  await victim.waitClose({ timeoutMs: 3000 });
  assert.equal(victim.received.find((m) => m.type === 'error')?.code, 'unauthorized');
});

test('POST /api/logout cuts the session of that token before it answers', async () => {
  const device = newDeviceId('signed-out');
  const session = await login('org-fh', device);
  const victim = await connect({ device, token: session.token });
  await assertCutOff(victim, 'org-fh', async () => {
    const out = await request(server, { method: 'POST', path: '/api/logout', body: {},
                                        headers: { authorization: `Bearer ${session.token}`, 'x-psc-device': device } });
    assert.equal(out.status, 200);
  });
  // And the token does not open a new session either.
  const again = await open();
  again.hello({ device, token: session.token });
  assert.equal((await again.next((m) => m.type === 'error')).code, 'unauthorized');
});

test('admin disable-account cuts every open session of the account', async () => {
  server.createAccount('org-temp', 'organizer', { neighborhood: 'frog-hollow', password: PASSWORD });
  const first = await connect({ device: newDeviceId('temp-a'), account: 'org-temp' });
  const second = await connect({ device: newDeviceId('temp-b'), account: 'org-temp' });
  const bystander = await connect({ device: newDeviceId('fh'), account: 'org-fh' });
  await assertCutOff(first, 'org-temp', async () => { server.admin('disable-account', '--username', 'org-temp'); });
  await second.waitClose({ timeoutMs: 3000 });
  assert.equal(second.received.find((m) => m.type === 'error')?.code, 'unauthorized');
  assert.ok(bystander.isOpen, 'another account\'s session stays open');
  assert.deepEqual((await bystander.push(new ChangeMaker(bystander.device, { actor: 'org-fh' }).priority())).rejected, []);
});

test('an organizer\'s kiosk revoke cuts the kiosk\'s open session; another organizer cannot', async () => {
  const org = await login('org-fh', newDeviceId('org'));
  const headers = { authorization: `Bearer ${org.token}`, 'x-psc-device': org.device };
  const tablet = newDeviceId('kiosk');
  const kiosk = await kioskSignIn(server, org, tablet);
  const victim = await connect({ device: tablet, token: kiosk.token });
  assert.equal(victim.welcome.role, 'kiosk');
  const list = (await request(server, { path: '/api/kiosks', headers })).body;
  const id = list.find((k) => k.device === tablet).id;

  const other = await login('org-pk', newDeviceId('org-pk'));
  const refused = await request(server, { method: 'POST', path: '/api/kiosks/revoke', body: { id },
                                          headers: { authorization: `Bearer ${other.token}`, 'x-psc-device': other.device } });
  assert.equal(refused.status, 404);
  assert.ok(victim.isOpen, 'a refused revoke cuts nothing');

  await assertCutOff(victim, kiosk.account, async () => {
    const revoked = await request(server, { method: 'POST', path: '/api/kiosks/revoke', body: { id }, headers });
    assert.equal(revoked.status, 200);
  });
});
