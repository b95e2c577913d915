// Attacker's suite, hand-off uploads (issue 12, items 5 and 6).
//  - Body limits are chosen per route after authentication: a genuine file of
//    600 changes (~190 KiB) is taken; a request without a valid token is
//    refused before its body is read, so chunked or declared-huge uploads
//    from strangers cost the server no memory.
//  - Device ids belong to the account signed in on them: another account
//    cannot sign in (or redeem a kiosk code) with a tablet's device id, so it
//    can neither stamp changes as that tablet nor make its genuine hand-off
//    files fail as tampered.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChangeMaker, catchUp, newDeviceId } from '../support/sync_client.mjs';
import { rawRequest, request, sleep } from './attack_support.mjs';
import { handoffFile, rssKiB, useServer } from './support.mjs';

const PASSWORD = 'a-long-password-1';
let server;
useServer({
  prepare: (s) => {
    s.createAccount('org-fh', 'organizer', { neighborhood: 'frog-hollow', password: PASSWORD });
    s.createAccount('org-ah', 'organizer', { neighborhood: 'asylum-hill', password: PASSWORD });
  },
  started: (s) => { server = s; },
});

const login = (username, device, localAddress) =>
  request(server, { method: 'POST', path: '/api/login', body: { username, password: PASSWORD, device }, localAddress });

function uploaderHeaders() {
  const desk = newDeviceId('desk');
  return { authorization: `Bearer ${server.token(desk)}`, 'x-psc-device': desk };
}

async function upload(file, headers = uploaderHeaders()) {
  return request(server, { method: 'POST', path: '/api/handoff', body: JSON.stringify(file), headers });
}

test('a genuine hand-off file of 600 changes (~190 KiB) is taken whole', async () => {
  const tablet = newDeviceId('tablet');
  const token = server.token(tablet, 'org-fh');
  const maker = new ChangeMaker(tablet, { actor: 'org-fh' });
  const changes = maker.priorities(120, { extra: { description: 'Recorded offline at the block meeting. '.repeat(2) } });
  assert.equal(changes.length, 600);
  const body = JSON.stringify(handoffFile(changes, { token, device: tablet, account: 'org-fh' }));
  assert.ok(body.length > 150 * 1024, `the file is ${Math.round(body.length / 1024)} KiB`);
  const answer = await upload(JSON.parse(body));
  assert.equal(answer.status, 200, answer.text.slice(0, 200));
  assert.equal(answer.body.accepted.length, 600);
  assert.deepEqual(answer.body.rejected, []);
  const { changes: stored } = await catchUp(server.wsUrl);
  const ids = new Set(stored.map((c) => c.id));
  assert.ok(changes.every((c) => ids.has(c.id)));
});

test('without a valid token, a hand-off declaring 30 MiB is refused (401) before a byte of its body is read', async () => {
  for (const auth of ['', `Authorization: Bearer ${'0'.repeat(64)}\r\nX-PSC-Device: nobody\r\n`]) {
    const answer = await rawRequest(server,
      `POST /api/handoff HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${auth}Content-Length: ${30 * 1024 * 1024}\r\n\r\n`,
      { timeoutMs: 3000 });  // the body never comes: an answer can only come before it
    assert.equal(answer.status, 401);
    assert.equal(JSON.parse(answer.text).error, 'unauthorized');
  }
});

test('chunked uploads without a token are refused at once and do not grow the server\'s memory', async () => {
  const before = rssKiB(server);
  const chunk = Buffer.alloc(256 * 1024, 'a');
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, rssKiB(server)); }, 20);
  // Ten strangers, each streaming 24 MiB of chunks as fast as the server reads.
  const answers = await Promise.all(Array.from({ length: 10 }, () => rawRequest(server,
    'POST /api/handoff HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    {
      timeoutMs: 10000,
      feed: (socket) => {
        let sent = 0;
        const pump = () => {
          while (sent < 96 && !socket.destroyed) {
            sent += 1;
            if (!socket.write(frame)) return socket.once('drain', pump);
          }
        };
        socket.on('error', () => {});
        pump();
      },
    })));
  await sleep(200);
  clearInterval(sampler);
  peak = Math.max(peak, rssKiB(server));
  assert.deepEqual(answers.map((a) => a.status), Array(10).fill(401));
  assert.ok(peak - before < 32 * 1024, `server memory grew by ${Math.round((peak - before) / 1024)} MiB`);
});

test('an authenticated upload over 32 MiB, and any other route over 64 KiB, is refused before its body is read', async () => {
  const headers = uploaderHeaders();
  const huge = await rawRequest(server,
    `POST /api/handoff HTTP/1.1\r\nHost: x\r\nAuthorization: ${headers.authorization}\r\nX-PSC-Device: ${headers['x-psc-device']}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${33 * 1024 * 1024}\r\n\r\n`, { timeoutMs: 3000 });
  assert.equal(huge.status, 413);
  const login = await rawRequest(server,
    `POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024}\r\n\r\n`,
    { timeoutMs: 3000 });
  assert.equal(login.status, 413);
  // The server is still there for everyone else.
  assert.equal((await request(server, { path: '/health' })).status, 200);
});

test('another account cannot sign in with a signed-in tablet\'s device id, and the tablet\'s files stay good', async () => {
  const tablet = newDeviceId('fh-tablet');
  const session = await login('org-fh', tablet);
  assert.equal(session.status, 200);
  const maker = new ChangeMaker(tablet, { actor: 'org-fh' });
  const file = handoffFile(maker.priority({ title: 'Written on the tablet, carried on a stick' }),
                           { token: session.body.token, device: tablet, account: 'org-fh' });

  // The takeover: the device id is in every change id the tablet wrote.
  const takeover = await login('org-ah', tablet);
  assert.equal(takeover.status, 409, `refused: ${takeover.text}`);
  assert.equal(takeover.body.error, 'device_taken');
  assert.throws(() => server.token(tablet, 'org-ah'), /device_taken|signed in with another account/,
                'the admin CLI refuses too');
  // Through a kiosk code issued by another organizer, too.
  const ahDevice = newDeviceId('ah');
  const ah = (await login('org-ah', ahDevice)).body;
  const code = (await request(server, { method: 'POST', path: '/api/kiosk-codes', body: {},
                                        headers: { authorization: `Bearer ${ah.token}`, 'x-psc-device': ahDevice } })).body.code;
  const kiosk = await request(server, { method: 'POST', path: '/api/kiosk-login', body: { code, device: tablet } });
  assert.equal(kiosk.status, 409);
  assert.equal(kiosk.body.error, 'device_taken');

  const answer = await upload(file);
  assert.equal(answer.status, 200, `the genuine file is taken: ${answer.text}`);
  assert.equal(answer.body.accepted.length, 4);

  // The tablet's own account signs in on it again (a reload, a second tab): fine.
  assert.equal((await login('org-fh', tablet)).status, 200);
  // A file claiming another account is checked against that account's tokens only.
  const claimed = handoffFile(maker.priority(), { token: session.body.token, device: tablet, account: 'org-ah' });
  assert.equal((await upload(claimed)).status, 403);
});

test('a device id signed out everywhere can be used by the next account (a shared browser)', async () => {
  const laptop = newDeviceId('shared');
  const first = (await login('org-fh', laptop)).body;
  const out = await request(server, { method: 'POST', path: '/api/logout', body: {},
                                      headers: { authorization: `Bearer ${first.token}`, 'x-psc-device': laptop } });
  assert.equal(out.status, 200);
  const next = await login('org-ah', laptop);
  assert.equal(next.status, 200);
  assert.equal((await login('org-fh', laptop)).status, 409, 'and now it is held by the account signed in on it');
});
