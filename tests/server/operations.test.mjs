// What a city's IT department runs the server with (issue 13, operations):
// --version; options from PSC_* environment variables and a --config file,
// flags first; /livez, /readyz and Prometheus /metrics; X-Forwarded-For
// believed only from a --trusted-proxy; JSON logs; the access log, which
// never holds a token or a password. Against the real server.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { serverBinary } from '../support/server.mjs';
import { ChangeMaker, SyncClient, randomRecordId } from '../support/sync_client.mjs';
import { disposeServer, startServer } from './support.mjs';

const servers = [];
const temp = mkdtempSync(path.join(tmpdir(), 'psc-ops-'));
after(async () => {
  for (const s of servers) await disposeServer(s);
  rmSync(temp, { recursive: true, force: true });
});
async function started(options) {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

test('--version names the server and its sync protocol', () => {
  const out = execFileSync(serverBinary, ['--version'], { encoding: 'utf8' });
  assert.match(out, /^psc-server \d+\.\d+\.\d+ \(sync protocol 1\)\n$/);
});

test('options come from flags, then PSC_* variables, then a --config file', async () => {
  const config = path.join(temp, 'psc.conf');
  writeFileSync(config, '# a comment\nmax-batch = 30\nmax-message-bytes = 200000\n');
  const maxBatch = async (server) => {
    const client = await SyncClient.connect(server.wsUrl, { catchUp: false });
    client.close();
    return [client.welcome.max_batch, client.welcome.max_message_bytes];
  };
  assert.deepEqual(await maxBatch(await started({ args: ['--config', config] })), [30, 200000]);
  assert.deepEqual(await maxBatch(await started({ args: ['--config', config], env: { PSC_MAX_BATCH: '20' } })),
                   [20, 200000], 'the environment over the file');
  assert.deepEqual(await maxBatch(await started({ args: ['--config', config, '--max-batch', '10'],
                                                  env: { PSC_MAX_BATCH: '20' } })), [10, 200000], 'a flag over both');
  // Variables that name no option (the psc script's own) are left alone.
  await started({ env: { PSC_BUILD_DIR: '/nowhere', PSC_JOBS: '2' } });

  // Mistakes stop the server with a reason, before it opens anything.
  const refused = (args, env = {}) => spawnSync(serverBinary, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  writeFileSync(config, 'max-batchh = 3\n');
  let run = refused(['--config', config, '--data', path.join(temp, 'never')]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /max-batchh/);
  run = refused(['--config', path.join(temp, 'missing.conf')]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /cannot read --config/);
  run = refused(['--data', path.join(temp, 'never')], { PSC_MAX_BATCH: 'many' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /max-batch/);
  run = refused(['--log-format', 'xml']);
  assert.equal(run.status, 2);
  // A node address becomes part of every page's Content-Security-Policy:
  // anything that could widen the policy or add a directive is refused.
  for (const bad of ["ws://a.example/sync; script-src 'unsafe-inline'", 'ws://a.example/sync *',
                     'https://a.example/sync', "ws://a.example/'self'", 'ws://a,b/sync']) {
    run = refused(['--data', path.join(temp, 'never'), '--sync-url', bad]);
    assert.equal(run.status, 2, bad);
    assert.match(run.stderr, /--sync-url is a WebSocket address/, bad);
  }
});

test('--sync-url: the nodes are listed at /servers and in connect-src, and nothing else is', async () => {
  const server = await started({ args: ['--sync-url', 'ws://node-a.example:8080/sync', '--sync-url', 'wss://node-b.example/sync'] });
  const listed = await fetch(`${server.url}/servers`, { headers: { origin: 'https://elsewhere.example' } });
  assert.equal(listed.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual((await listed.json()).sync_urls, ['ws://node-a.example:8080/sync', 'wss://node-b.example/sync']);
  const page = await fetch(`${server.url}/`);
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, /connect-src 'self' ws:\/\/node-a\.example:8080 http:\/\/node-a\.example:8080 wss:\/\/node-b\.example https:\/\/node-b\.example;/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/, 'nothing else widened');
});

test('/livez, /readyz and /metrics tell a monitor how the server is doing', async () => {
  const server = await started();
  const live = await fetch(`${server.url}/livez`);
  assert.equal(live.status, 200);
  assert.deepEqual(await live.json(), { status: 'alive' });
  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready' });

  // Some traffic: a connected coordinator, a push with one refused change, a wrong password.
  const client = await SyncClient.connect(server.wsUrl);
  const maker = new ChangeMaker(client.device);
  const good = maker.priority({ record: randomRecordId(), title: 'Metrics check', category: 'youth' });
  const bad = maker.change({ type: 'priority', record: good[0].record, field: 'category', value: 'spaceships' });
  assert.equal((await client.push(good)).accepted.length, good.length);
  const ack = await client.push([bad]);
  assert.equal(ack.rejected.length, 1);
  const wrong = await fetch(`${server.url}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'tester', password: 'not-it-at-all', device: 'web-metrics' }),
  });
  assert.equal(wrong.status, 401);

  const response = await fetch(`${server.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const value = (sample) => {
    const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
    assert.ok(line, `${sample} in /metrics`);
    return Number(line.slice(sample.length + 1));
  };
  assert.match(text, /^psc_build_info\{version="psc-server \d+\.\d+\.\d+ \(sync protocol 1\)"\} 1$/m);
  assert.equal(value('psc_connections{role="coordinator"}'), 1);
  assert.equal(value('psc_pushes_total'), 2);
  assert.equal(value('psc_changes_accepted_total'), good.length);
  assert.equal(value(`psc_changes_rejected_total{code="${ack.rejected[0].code}"}`), 1);
  assert.equal(value('psc_sign_in_failures_total'), 1);
  assert.ok(value('psc_commit_seconds_count') >= 1);
  assert.equal(value('psc_commit_seconds_bucket{le="+Inf"}'), value('psc_commit_seconds_count'));
  assert.ok(value('psc_live_window_bytes') > 0);
  assert.equal(value('psc_commit_queue_depth'), 0);
  // Every sample line is name{labels} number; every metric has HELP and TYPE.
  for (const line of text.trim().split('\n')) {
    assert.match(line, /^(# (HELP|TYPE) psc_\w+ .+|psc_\w+(\{[^}]*\})? -?[\d.e+]+)$/, line);
  }
  assert.doesNotMatch(text, /tester|web-metrics|127\.0\.0\.1/, 'counts only: no account, device or address');
  client.close();
});

// Wrong passwords for one account from `address` (as X-Forwarded-For) until
// the throttle answers 429; returns how many were answered 401. The first
// lock lasts 1 s, too short for the checks after it on a busy machine, so
// the lock is then made longer: two more wrong passwords, each after the
// wait (1 s, then 2 s), leave it locked for 4 s.
async function lockOut(server, forwardedFor) {
  const attempt = () => fetch(`${server.url}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ username: 'tester', password: 'wrong-password-x', device: 'web-proxy-test' }),
  });
  let response;
  let allowed = 0;
  while ((response = await attempt()).status !== 429 && allowed < 10) {
    assert.equal(response.status, 401);
    allowed += 1;
  }
  for (let deeper = 0; deeper < 2 && response.status === 429; deeper += 1) {
    const { retry_after_ms: wait } = await response.json();
    await new Promise((resolve) => { setTimeout(resolve, wait + 20); });
    assert.equal((await attempt()).status, 401, 'checked again once the wait is over');
    response = await attempt();
    assert.equal(response.status, 429);
  }
  return allowed;
}

const signIn = (server, forwardedFor) => fetch(`${server.url}/api/login`, {
  method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
  body: JSON.stringify({ username: 'tester', password: 'tester-password-1', device: `web-${Math.random().toString(16).slice(2, 18)}` }),
});

test('behind a trusted proxy, limits count the forwarded address; X-Forwarded-For from anyone else is ignored', async () => {
  const proxied = await started({ args: ['--trusted-proxy', '127.0.0.1'] });
  const allowed = await lockOut(proxied, '203.0.113.7');
  assert.ok(allowed >= 5 && allowed < 10, `locked out after ${allowed} wrong passwords`);
  // Another resident's address behind the same proxy still signs in.
  assert.equal((await signIn(proxied, '198.51.100.4')).status, 200);
  // The client wrote the left part; the proxy appended the right one: the right one counts.
  assert.equal((await signIn(proxied, '198.51.100.4, 203.0.113.7')).status, 429);
  assert.equal((await signIn(proxied, '203.0.113.7, 198.51.100.4')).status, 200);
  // Garbage is not an address: the proxy's own address counts (not locked out).
  assert.equal((await signIn(proxied, 'not-an-address')).status, 200);

  // Without --trusted-proxy the header is a client's claim: one address for all.
  const direct = await started();
  assert.equal(await lockOut(direct, '203.0.113.7'), allowed);
  assert.equal((await signIn(direct, '198.51.100.4')).status, 429, 'a forged header does not get around the lock-out');
});

test('--log-format json writes one JSON object per line', async () => {
  const server = await started({ args: ['--log-format', 'json'] });
  const client = await SyncClient.connect(server.wsUrl);
  client.close();
  await server.stop();
  const lines = server.output().split('\n').filter((l) => l.startsWith('{'));
  assert.ok(lines.length >= 2, server.output());
  for (const line of lines) {
    const entry = JSON.parse(line);
    assert.match(entry.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.ok(['info', 'error'].includes(entry.level));
    assert.equal(typeof entry.message, 'string');
  }
  assert.ok(lines.some((l) => JSON.parse(l).message === 'stopped cleanly'));
  assert.ok(!lines.some((l) => JSON.parse(l).kind === 'access'), 'no access log unless asked for');
});

test('--access-log: one line per answered request, with status, size and time, and never a secret', async () => {
  const server = await started({ args: ['--access-log', '--log-format', 'json'] });
  const password = 'tester-password-1';
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'tester', password, device: 'web-access-log-1' }),
  });
  assert.equal(login.status, 200);
  const { token } = await login.json();
  const signed = { authorization: `Bearer ${token}`, 'x-psc-device': 'web-access-log-1' };
  assert.equal((await fetch(`${server.url}/api/me`, { headers: signed })).status, 200);
  // A client that puts its token in a URL by mistake: the query is never logged.
  assert.equal((await fetch(`${server.url}/api/history?type=priority&id=${token}`, { headers: signed })).status, 200);
  assert.equal((await fetch(`${server.url}/no-such-file.txt`)).status, 404);
  // Refused before its body is read (a body past the 64 KiB limit).
  const big = await fetch(`${server.url}/api/login`, { method: 'POST', body: 'x'.repeat(70 * 1024) });
  assert.equal(big.status, 413);
  // A header past the 16 KiB limit: answered 413, logged with the peer's address.
  const huge = await fetch(`${server.url}/api/me`, { headers: { 'x-filler': 'y'.repeat(20 * 1024) } });
  assert.equal(huge.status, 413);
  const client = await SyncClient.connect(server.wsUrl);
  client.close();
  await new Promise((resolve) => { setTimeout(resolve, 200); });
  await server.stop();

  const output = server.output();
  assert.ok(!output.includes(token), 'the token is in no log line');
  assert.ok(!output.includes(password), 'the password is in no log line');
  const access = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((e) => e.kind === 'access');
  const seen = access.map((e) => `${e.method} ${e.path} ${e.status}`);
  for (const expected of ['POST /api/login 200', 'GET /api/me 200', 'GET /api/history 200', 'GET /no-such-file.txt 404',
    'POST /api/login 413', 'GET /sync 101']) {
    assert.ok(seen.includes(expected), `${expected} in ${JSON.stringify(seen)}`);
  }
  assert.equal(access.filter((e) => e.status === 413).length, 2, JSON.stringify(seen));
  for (const entry of access) {
    assert.equal(entry.address, '127.0.0.1');
    assert.equal(entry.level, 'info');
    assert.equal(entry.message, `${entry.method} ${entry.path} ${entry.status}`);
    assert.ok(Number.isInteger(entry.bytes) && entry.bytes >= 0);
    assert.ok(typeof entry.ms === 'number' && entry.ms >= 0);
  }
  assert.ok(access.find((e) => e.path === '/api/me').bytes > 20, 'the answer\'s body size');

  // As text (the default format), behind a trusted proxy: the forwarded address.
  const text = await started({ args: ['--access-log', '--trusted-proxy', '127.0.0.1'] });
  assert.equal((await fetch(`${text.url}/health`, { headers: { 'x-forwarded-for': '198.51.100.4' } })).status, 200);
  await text.stop();
  assert.match(text.output(), /Z access 198\.51\.100\.4 "GET \/health" 200 \d+ \d+\.\dms\n/);
});
