// Account and device management over the API (issue 15: a coordinator no
// longer needs the admin command line), against the real server, and the
// ways around it an attacker would try with one request: another role's
// token, no token, a role or place that does not exist, a kiosk account,
// fields repeated or of the wrong type, sizes just past the limits, and a
// coordinator locking themself out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newDeviceId } from '../support/sync_client.mjs';
import { apiCall, deviceOf, useServer } from './support.mjs';

const PASSWORD = 'a-long-password-1';
let server;
let desk;  // the coordinator's device: {device, token}
const { connect } = useServer({
  prepare: (s) => s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow', password: PASSWORD }),
  started: (s) => {
    server = s;
    desk = deviceOf(server, 'desk');
  },
});

const call = (method, pathname, body, as = desk) => apiCall(server, method, pathname, body, as);
const post = (pathname, body, as) => call('POST', pathname, body, as);

async function signInFirstTime(username, printed) {
  const device = newDeviceId('first');
  const refused = await post('/api/login', { username, password: printed, device }, null);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error, 'password_change_required');
  const changed = await post('/api/password', { username, password: printed, new_password: PASSWORD, device }, null);
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  return { device, token: changed.body.token };
}

test('a coordinator creates an account; its password is shown once and signs in only to choose a new one', async () => {
  const made = await post('/api/accounts', { username: 'maria.parkville', role: 'organizer', neighborhood: 'parkville' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.role, 'organizer');
  assert.equal(made.body.neighborhood, 'parkville');
  assert.equal(made.body.must_change_password, true);
  assert.match(made.body.password, /^[0-9a-f]{20}$/);
  const maria = await signInFirstTime('maria.parkville', made.body.password);
  assert.equal((await call('GET', '/api/me', undefined, maria)).body.neighborhood, 'parkville');
  const listed = (await call('GET', '/api/accounts')).body.find((a) => a.username === 'maria.parkville');
  assert.deepEqual(listed, { username: 'maria.parkville', role: 'organizer', neighborhood: 'parkville', department: '',
                             disabled: false, must_change_password: false });
  assert.ok(!JSON.stringify((await call('GET', '/api/accounts')).body).includes('hash'), 'no password hashes listed');

  // A liaison keeps only its department; a stray neighborhood is dropped.
  const liaison = await post('/api/accounts', { username: 'dpw-2', role: 'liaison', department: 'public-works', neighborhood: 'parkville' });
  assert.equal(liaison.status, 201);
  assert.equal(liaison.body.neighborhood, '');
  assert.equal(liaison.body.department, 'public-works');
});

test('account requests with bad fields are refused with a reason, and nothing is made', async () => {
  const cases = [
    [{ username: 'x1', role: 'kiosk', neighborhood: 'parkville' }, 400, 'invalid_account'],
    [{ username: 'x2', role: 'admin' }, 400, 'invalid_account'],
    [{ username: 'x3', role: 'organizer' }, 400, 'invalid_account'],                       // no neighborhood
    [{ username: 'x4', role: 'organizer', neighborhood: 'atlantis' }, 400, 'invalid_account'],
    [{ username: 'x5', role: 'liaison', department: 'ministry-of-magic' }, 400, 'invalid_account'],
    [{ username: 'has space', role: 'viewer' }, 400, 'invalid_account'],
    [{ username: 'u'.repeat(65), role: 'viewer' }, 400, 'invalid_account'],              // one past the limit
    [{ username: 'org-fh', role: 'viewer' }, 409, 'exists'],
    [{ username: 7, role: 'viewer' }, 400, 'missing_field'],
    [{ username: 'x6', role: 'organizer', neighborhood: ['parkville'] }, 400, 'missing_field'],
    ['{"username": "x7", "role": ', 400, 'malformed_json'],
  ];
  for (const [body, status, error] of cases) {
    const answer = await post('/api/accounts', body);
    assert.equal(answer.status, status, `${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.error, error, JSON.stringify(body));
  }
  assert.equal((await post('/api/accounts', { username: 'u'.repeat(64), role: 'viewer' })).status, 201, '64 is the limit');
  // A role given twice: the JSON parser keeps one, and the account is made with exactly that role.
  const twice = await post('/api/accounts', '{"username":"twice","role":"coordinator","role":"viewer"}');
  assert.equal(twice.status, 201);
  const listed = (await call('GET', '/api/accounts')).body.find((a) => a.username === 'twice');
  assert.equal(listed.role, twice.body.role);
  const names = (await call('GET', '/api/accounts')).body.map((a) => a.username);
  for (const name of ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'has space']) assert.ok(!names.includes(name), name);
});

test('only a signed-in coordinator manages accounts and devices', async () => {
  const organizer = deviceOf(server, 'org', 'org-fh');
  const requests = [
    ['GET', '/api/accounts', undefined],
    ['POST', '/api/accounts', { username: 'sneaky', role: 'coordinator' }],
    ['POST', '/api/accounts/disable', { username: 'tester', disabled: true }],
    ['POST', '/api/accounts/reset-password', { username: 'tester' }],
    ['POST', '/api/devices/revoke', { id: 1 }],
  ];
  for (const [method, pathname, body] of requests) {
    assert.equal((await call(method, pathname, body, organizer)).status, 403, `${pathname} as an organizer`);
    assert.equal((await call(method, pathname, body, null)).status, 401, `${pathname} without a token`);
    // A coordinator's token presented for another device id.
    assert.equal((await call(method, pathname, body, { token: desk.token, device: newDeviceId('other') })).status, 401);
  }
  assert.ok(!(await call('GET', '/api/accounts')).body.some((a) => a.username === 'sneaky'));
});

test('disabling an account cuts its devices off at once; a coordinator cannot disable or reset themself', async () => {
  const made = await post('/api/accounts', { username: 'leaving', role: 'viewer', neighborhood: 'frog-hollow' });
  const leaving = await signInFirstTime('leaving', made.body.password);
  const live = await connect({ device: leaving.device, token: leaving.token });
  const off = await post('/api/accounts/disable', { username: 'leaving', disabled: true });
  assert.equal(off.status, 200);
  assert.equal(off.body.disabled, true);
  await live.waitClose();
  assert.equal((await call('GET', '/api/me', undefined, leaving)).status, 401);
  assert.equal((await post('/api/login', { username: 'leaving', password: PASSWORD, device: newDeviceId() }, null)).status, 401);
  const on = await post('/api/accounts/disable', { username: 'leaving', disabled: false });
  assert.equal(on.body.disabled, false);
  assert.equal((await post('/api/login', { username: 'leaving', password: PASSWORD, device: newDeviceId() }, null)).status, 200);

  assert.equal((await post('/api/accounts/disable', { username: 'tester', disabled: true })).body.error, 'own_account');
  assert.equal((await post('/api/accounts/reset-password', { username: 'tester' })).body.error, 'own_account');
  assert.equal((await post('/api/accounts/disable', { username: 'leaving', disabled: 'yes' })).status, 400);
  assert.equal((await post('/api/accounts/disable', { username: 'nobody', disabled: true })).status, 404);
  assert.equal((await call('GET', '/api/me')).status, 200, 'the coordinator is still in');
});

test('a reset password replaces the old one and must be changed at its first sign-in', async () => {
  const made = await post('/api/accounts', { username: 'forgot', role: 'viewer', neighborhood: 'parkville' });
  await signInFirstTime('forgot', made.body.password);
  const reset = await post('/api/accounts/reset-password', { username: 'forgot' });
  assert.equal(reset.status, 200);
  assert.match(reset.body.password, /^[0-9a-f]{20}$/);
  assert.equal((await post('/api/login', { username: 'forgot', password: PASSWORD, device: newDeviceId() }, null)).status, 401);
  await signInFirstTime('forgot', reset.body.password);
  assert.equal((await post('/api/accounts/reset-password', { username: 'nobody' })).status, 404);
});

test('a coordinator revokes one device: that device is cut off, the account\'s others are not', async () => {
  const one = deviceOf(server, 'tab-one', 'org-fh');
  const two = deviceOf(server, 'tab-two', 'org-fh');
  const live = await connect({ device: one.device, token: one.token });
  const row = (await call('GET', '/api/devices')).body.find((d) => d.device === one.device);
  const revoked = await post('/api/devices/revoke', { id: row.id });
  assert.equal(revoked.status, 200);
  await live.waitClose();
  assert.equal((await call('GET', '/api/me', undefined, one)).status, 401);
  assert.equal((await call('GET', '/api/me', undefined, two)).status, 200);
  assert.equal((await post('/api/devices/revoke', { id: row.id })).status, 404, 'already revoked');
  assert.equal((await post('/api/devices/revoke', { id: String(row.id) })).status, 400);
  assert.equal((await post('/api/devices/revoke', { id: 1.5 })).status, 400);
});
