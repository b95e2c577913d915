// Device names (issue 15: tablets were known only as "web-40233db8a216d12d"),
// against the real server: chosen at sign-in, by a device for itself, or by
// a coordinator; read by every role but a kiosk. And the ways around the
// rules one request would try: naming another account's tablet by signing in
// with its id, an organizer naming someone else's device, a kiosk, no token,
// names just past the limit, control characters, the wrong type, a device
// the server has never seen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newDeviceId } from '../support/sync_client.mjs';
import { apiCall, deviceOf, useServer } from './support.mjs';

const PASSWORD = 'a-long-password-1';
let server;
let desk;  // the coordinator's device: {device, token}

useServer({
  prepare: (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow', password: PASSWORD });
    s.createAccount('org-pv', 'organizer', { neighborhood: 'parkville', password: PASSWORD });
  },
  started: (s) => {
    server = s;
    desk = deviceOf(server, 'desk');
  },
});

const call = (method, pathname, body, as = desk) => apiCall(server, method, pathname, body, as);
const post = (pathname, body, as) => call('POST', pathname, body, as);
const names = async (as = desk) => (await call('GET', '/api/device-names', undefined, as)).body;

async function signIn(username, device, deviceName) {
  const answer = await post('/api/login', { username, password: PASSWORD, device, device_name: deviceName }, null);
  return { ...answer, session: { device, token: answer.body.token } };
}

test('a name chosen at sign-in is what every device reads for that id, and on the devices list', async () => {
  const tablet = newDeviceId('tablet');
  const signedIn = await signIn('org-fh', tablet, '  Frog Hollow tablet 2  ');
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  assert.equal((await names())[tablet], 'Frog Hollow tablet 2', 'trimmed');
  // Another organizer (another neighborhood) reads it too: it is a byline, not a record.
  const other = await signIn('org-pv', newDeviceId('pv'));
  assert.equal((await names(other.session))[tablet], 'Frog Hollow tablet 2');
  const row = (await call('GET', '/api/devices')).body.find((d) => d.device === tablet);
  assert.equal(row.name, 'Frog Hollow tablet 2');
  // Signing in again without a name keeps it; the device renames itself.
  assert.equal((await signIn('org-fh', tablet)).status, 200);
  assert.equal((await names())[tablet], 'Frog Hollow tablet 2');
  const again = await signIn('org-fh', tablet);
  const renamed = await post('/api/devices/name', { device: tablet, name: 'Tableta de Frog Hollow ñ 2' }, again.session);
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.equal((await names())[tablet], 'Tableta de Frog Hollow ñ 2');
  // A coordinator names any device; "" forgets the name.
  assert.equal((await post('/api/devices/name', { device: tablet, name: 'Library laptop' })).status, 200);
  assert.equal((await names())[tablet], 'Library laptop');
  assert.equal((await post('/api/devices/name', { device: tablet, name: '   ' })).status, 200);
  assert.equal((await names())[tablet], undefined);
});

test('signing in with another account\'s tablet id renames nothing', async () => {
  const tablet = newDeviceId('held');
  assert.equal((await signIn('org-fh', tablet, 'Frog Hollow tablet 1')).status, 200);
  const taken = await signIn('org-pv', tablet, 'Stolen name');
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error, 'device_taken');
  assert.equal((await names())[tablet], 'Frog Hollow tablet 1');
  // A wrong password with a name: refused, and the name is not kept.
  const wrong = await post('/api/login', { username: 'org-fh', password: 'not-the-password', device: tablet,
                                           device_name: 'Wrong password name' }, null);
  assert.equal(wrong.status, 401);
  assert.equal((await names())[tablet], 'Frog Hollow tablet 1');
});

test('only coordinators name other devices; kiosks and strangers neither read nor name', async () => {
  const fh = (await signIn('org-fh', newDeviceId('fh'))).session;
  const pvTablet = newDeviceId('pv-tablet');
  await signIn('org-pv', pvTablet, 'Parkville tablet');
  const refused = await post('/api/devices/name', { device: pvTablet, name: 'Mine now' }, fh);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error, 'forbidden');
  assert.equal((await names())[pvTablet], 'Parkville tablet');
  // Another device's id in the header with this token: not signed in at all.
  const spoofed = await post('/api/devices/name', { device: pvTablet, name: 'Mine now' }, { ...fh, device: pvTablet });
  assert.equal(spoofed.status, 401);
  // No token.
  assert.equal((await post('/api/devices/name', { device: pvTablet, name: 'x' }, null)).status, 401);
  assert.equal((await call('GET', '/api/device-names', undefined, null)).status, 401);
  // A kiosk (a resident's hands): neither.
  const code = (await post('/api/kiosk-codes', {}, fh)).body.code;
  const kioskDevice = newDeviceId('kiosk');
  const kiosk = await post('/api/kiosk-login', { code, device: kioskDevice }, null);
  assert.equal(kiosk.status, 200, JSON.stringify(kiosk.body));
  const asKiosk = { device: kioskDevice, token: kiosk.body.token };
  assert.equal((await call('GET', '/api/device-names', undefined, asKiosk)).status, 403);
  assert.equal((await post('/api/devices/name', { device: kioskDevice, name: 'Kiosk' }, asKiosk)).status, 403);
  assert.equal((await names())[pvTablet], 'Parkville tablet');
});

test('bad names are refused with a reason, at sign-in and rename, and nothing changes', async () => {
  const tablet = newDeviceId('bad');
  assert.equal((await signIn('org-fh', tablet, 'Good name')).status, 200);
  const sixty = 'é'.repeat(60);
  const cases = [
    ['61 characters', 'é'.repeat(61), 'invalid_device_name'],
    ['a newline', 'Tablet\n2', 'invalid_device_name'],
    ['a C1 control', 'Tablet\u00852', 'invalid_device_name'],
    ['a tab inside', 'Tablet\t2', 'invalid_device_name'],
    ['a number', 7, 'invalid_device_name'],
    ['an object', { name: 'x' }, 'invalid_device_name'],
  ];
  for (const [label, name, code] of cases) {
    const atSignIn = await post('/api/login', { username: 'org-fh', password: PASSWORD, device: tablet, device_name: name }, null);
    assert.equal(atSignIn.status, 400, `${label} at sign-in`);
    assert.equal(atSignIn.body.error, code, `${label} at sign-in`);
    const rename = await post('/api/devices/name', { device: tablet, name });
    assert.equal(rename.status, 400, `${label} at rename`);
    assert.ok(['invalid_device_name', 'missing_field'].includes(rename.body.error), `${label}: ${rename.body.error}`);
  }
  assert.equal((await names())[tablet], 'Good name');
  // 60 characters (120 bytes) is the limit and is kept.
  assert.equal((await post('/api/devices/name', { device: tablet, name: sixty })).status, 200);
  assert.equal((await names())[tablet], sixty);
  // Fields repeated (the last wins in the parser) still pass through the same check.
  const repeated = await post('/api/devices/name', `{"device":"${tablet}","name":"ok","name":"${'x'.repeat(61)}"}`);
  assert.equal(repeated.status, 400);
  assert.equal((await names())[tablet], sixty);
  // A device never seen here, an id that is not one, malformed JSON.
  assert.equal((await post('/api/devices/name', { device: newDeviceId('never'), name: 'Ghost' })).status, 404);
  assert.equal((await post('/api/devices/name', { device: '../etc', name: 'Ghost' })).status, 404);
  assert.equal((await post('/api/devices/name', '{"device":')).status, 400);
  assert.equal(Object.values(await names()).includes('Ghost'), false);
});
