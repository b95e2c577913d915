// Attacker's suite, the network thread and sign-in (issue 12, items 7 and 12).
//  - Password hashing (Argon2id) and the API's SQLite work run on a worker
//    pool: strangers spamming sign-ins do not stall /health or anyone's sync.
//  - Sign-ins are throttled per (account, address) and per address, never
//    per account alone: wrong passwords from one address do not lock the
//    real user out from another. X-Forwarded-For is not trusted.
//  - A WebSocket that never says hello is closed after --hello-timeout-ms.
//  - Catch-up pages older than the live window are read from SQLite on the
//    worker pool; /health reads nothing from SQLite. (disposeServer fails any
//    server test in which the network thread tried to use SQLite.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { ChangeMaker, SyncClient, catchUp, newDeviceId } from '../support/sync_client.mjs';
import { request, sleep } from './attack_support.mjs';
import { chunks, disposeServer, startServer, useServer } from './support.mjs';

const PASSWORD = 'a-long-password-1';
let server;

useServer({
  serverOptions: { args: ['--hello-timeout-ms', '600'] },
  prepare: (s) => s.createAccount('victim', 'organizer', { neighborhood: 'frog-hollow', password: PASSWORD }),
  started: (s) => { server = s; },
});

const login = (username, password, { localAddress, headers } = {}) =>
  request(server, { method: 'POST', path: '/api/login', body: { username, password, device: newDeviceId('login') },
                    localAddress, headers });

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

test('four clients spamming sign-ins do not stall /health or a device\'s hello', async () => {
  // Four spammers on four addresses, each below its address's budget of
  // failures, so every attempt costs the server a full Argon2id check.
  let spamming = true;
  let attempts = 0;
  const spammers = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'].map(async (localAddress) => {
    for (let i = 0; i < 15 && spamming; i += 1) {
      const answer = await login(`nobody-${randomBytes(4).toString('hex')}`, 'wrong-password', { localAddress });
      assert.equal(answer.status, 401);
      attempts += 1;
    }
  });
  await sleep(100);  // the spam is under way
  const health = [];
  const hellos = [];
  const deadline = Date.now() + 2500;
  while (Date.now() < deadline) {
    const answer = await request(server, { path: '/health' });
    assert.equal(answer.status, 200);
    health.push(answer.ms);
    if (health.length % 10 === 0) {
      const started = performance.now();
      const device = await SyncClient.connect(server.wsUrl, {});
      hellos.push(performance.now() - started);
      device.terminate();
    }
    await sleep(20);
  }
  spamming = false;
  await Promise.all(spammers);
  assert.ok(attempts >= 4, `the spam ran (${attempts} sign-ins checked meanwhile)`);
  const p90 = percentile(health, 0.9);
  assert.ok(p90 < 200, `/health p90 ${p90.toFixed(1)} ms while ${attempts} sign-ins were checked (all: ${
    health.map((ms) => ms.toFixed(0)).join(' ')})`);
  assert.ok(percentile(hellos, 0.5) < 1000, `hello + catch-up ${hellos.map((ms) => ms.toFixed(0)).join(' ')} ms`);
});

test('wrong passwords from one address do not lock the real user out from another', async () => {
  const attacker = '127.0.0.6';
  const answers = [];
  for (let i = 0; i < 8; i += 1) answers.push(await login('victim', `guess-${i}`, { localAddress: attacker }));
  assert.deepEqual(answers.slice(0, 5).map((a) => a.status), [401, 401, 401, 401, 401]);
  assert.equal(answers.at(-1).status, 429, 'the attacker\'s address is slowed down');
  // Even with the right password, from the attacker's address: it waits.
  assert.equal((await login('victim', PASSWORD, { localAddress: attacker })).status, 429);
  // The real user, from elsewhere, signs in at once.
  const real = await login('victim', PASSWORD, { localAddress: '127.0.0.7' });
  assert.equal(real.status, 200, real.text);
  assert.match(real.body.token, /^[0-9a-f]{64}$/);
});

test('a username spray from one address is throttled per address, whatever X-Forwarded-For says', async () => {
  const statuses = [];
  for (let i = 0; i < 26; i += 1) {
    const answer = await login(`spray-${i}`, 'wrong-password', {
      localAddress: '127.0.0.8', headers: { 'x-forwarded-for': `10.0.${i}.1`, 'x-real-ip': `10.1.${i}.1` },
    });
    statuses.push(answer.status);
  }
  assert.ok(statuses.slice(0, 20).every((s) => s === 401));
  assert.equal(statuses.at(-1), 429, `statuses: ${statuses.join(' ')}`);
  // Another address is not affected.
  assert.equal((await login('victim', PASSWORD, { localAddress: '127.0.0.9' })).status, 200);
});

test('a WebSocket that never says hello is closed with hello_timeout', async () => {
  const silent = await SyncClient.open(server.wsUrl);
  const started = Date.now();
  const closed = await silent.waitClose({ timeoutMs: 5000 });
  const waited = Date.now() - started;
  assert.ok(waited >= 400 && waited < 4000, `closed after ${waited} ms (--hello-timeout-ms 600)`);
  const error = silent.received.find((m) => m.type === 'error');
  assert.equal(error?.code, 'hello_timeout');
  assert.ok(closed.code >= 1000);
  // A device that says hello in time is not affected, however long it stays.
  const device = await SyncClient.connect(server.wsUrl, {});
  await sleep(1200);
  assert.ok(device.isOpen);
  device.terminate();
});

test('devices far behind catch up from the store off the network thread, and /health stays quick', async () => {
  // A one-byte live window: every page of every catch-up comes from SQLite.
  const far = await startServer({ args: ['--live-window-bytes', '1'] });
  try {
    const pusher = await SyncClient.connect(far.wsUrl, {});
    const created = new ChangeMaker(pusher.device).priorities(600);
    for (const batch of chunks(created, 1000)) assert.equal((await pusher.push(batch)).rejected.length, 0);
    pusher.terminate();
    // Reference data (neighborhoods, departments) is stored as changes too.
    const stored = (await request(far, { path: '/health' })).body.sequence;
    assert.ok(stored >= created.length);
    let catchingUp = true;
    const catchUps = Promise.all([1, 2, 3, 4].map(() => catchUp(far.wsUrl, { timeoutMs: 30000 })))
      .finally(() => { catchingUp = false; });
    const health = [];
    while (catchingUp) {
      const answer = await request(far, { path: '/health' });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.sequence, stored, 'the sequence /health reports (from memory) stays right');
      health.push(answer.ms);
      await sleep(5);
    }
    for (const seen of await catchUps) {
      assert.equal(seen.changes.length, stored, 'a coordinator catching up from 0 gets every stored change');
      assert.ok(seen.pages.length > stored / 500, `${seen.pages.length} pages`);
    }
    assert.ok(percentile(health, 0.9) < 200, `/health ${health.map((ms) => ms.toFixed(0)).join(' ')} ms`);
  } finally {
    await disposeServer(far);  // fails if a page was read on the network thread
  }
});
