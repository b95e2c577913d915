// The printed password: the coordinator's one-time password from the first
// start (and any password an administrator generates) signs in only once,
// to choose a new one. On e21dc14 it signed in again and again and nothing
// asked for a new one. Also: every account changes its own password.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { newDeviceId } from '../support/sync_client.mjs';
import { jsonRequest, useServer } from './support.mjs';

let server;
let printed;
const { connect } = useServer({
  started: (s) => {
    server = s;
    printed = /one-time password (\S+)/.exec(server.output())?.[1];
  },
});

const post = (pathname, body, headers) => jsonRequest(server, 'POST', pathname, body, headers);
const login = (username, password, device = newDeviceId('tab')) => post('/api/login', { username, password, device });

test("the first start's printed password never signs in by itself; it buys one new password", async () => {
  assert.match(printed ?? '', /^\S{20}$/, `the first start prints a password:\n${server.output()}`);
  for (let i = 0; i < 2; i += 1) {
    const refused = await login('coordinator', printed);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'password_change_required');
    assert.equal(refused.body.token, undefined, 'no token for a printed password');
  }
  const device = newDeviceId('desk');
  const change = (password, next) => post('/api/password', { username: 'coordinator', password, new_password: next, device });
  assert.equal((await change(printed, 'short')).body.error, 'weak_password');
  assert.equal((await change(printed, printed)).body.error, 'same_password');
  assert.equal((await change('not-the-password', 'a-brand-new-password')).status, 401);

  const chosen = await change(printed, 'a-brand-new-password');
  assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
  assert.equal(chosen.body.role, 'coordinator');
  const client = await connect({ device, token: chosen.body.token });
  assert.equal(client.welcome.role, 'coordinator');

  assert.equal((await login('coordinator', printed)).status, 401, 'the printed password is spent');
  assert.equal((await change(printed, 'yet-another-password')).status, 401, 'and cannot buy a second one');
  assert.equal((await login('coordinator', 'a-brand-new-password')).status, 200);
});

test('a signed-in account changes its own password; a kiosk has none; a wrong one is throttled like a sign-in', async () => {
  server.createAccount('org-pw', 'organizer', { neighborhood: 'frog-hollow', password: 'first-password-1' });
  const device = newDeviceId('tab');
  const session = (await login('org-pw', 'first-password-1', device)).body;
  const headers = { authorization: `Bearer ${session.token}`, 'x-psc-device': device };
  const changed = await post('/api/password', { password: 'first-password-1', new_password: 'second-password-2' }, headers);
  assert.deepEqual([changed.status, changed.body], [200, { changed: true }]);
  assert.equal((await login('org-pw', 'first-password-1')).status, 401);
  assert.equal((await login('org-pw', 'second-password-2')).status, 200);
  const me = await fetch(`${server.url}/api/me`, { headers });
  assert.equal(me.status, 200, 'the device that changed it stays signed in');

  // Somebody else's username in the body changes nothing: the token decides whose password.
  const other = await post('/api/password', { username: 'coordinator', password: 'second-password-2', new_password: 'third-password-3' }, headers);
  assert.equal(other.status, 200);
  assert.equal((await login('org-pw', 'third-password-3')).status, 200);
  assert.equal((await login('coordinator', 'a-brand-new-password')).status, 200, "the coordinator's password is untouched");

  let throttled = false;
  for (let i = 0; i < 8 && !throttled; i += 1)
    throttled = (await post('/api/password', { password: `wrong-${i}-password`, new_password: 'whatever-password' }, headers)).status === 429;
  assert.ok(throttled, 'guessing the current password is slowed down like sign-in');
});

test('a password an administrator generates must be changed too; one given explicitly need not', async () => {
  const created = server.admin('create-account', '--username', 'viewer-gen', '--role', 'viewer');
  const generated = /with password (\S+)/.exec(created)?.[1];
  assert.ok(generated, created);
  assert.equal((await login('viewer-gen', generated)).body.error, 'password_change_required');

  const reset = server.admin('reset-password', '--username', 'viewer-gen');
  const again = /new password: (\S+)/.exec(reset)?.[1];
  assert.ok(again, reset);
  assert.equal((await login('viewer-gen', again)).body.error, 'password_change_required');

  server.admin('reset-password', '--username', 'viewer-gen', '--password', 'explicit-password-1');
  assert.equal((await login('viewer-gen', 'explicit-password-1')).status, 200);
});
