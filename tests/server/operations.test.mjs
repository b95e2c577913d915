// What a city's IT department runs the server with (issue 13, operations):
// --version; options from PSC_* environment variables and a --config file,
// flags first; /livez, /readyz and Prometheus /metrics; X-Forwarded-For
// believed only from a --trusted-proxy; JSON logs. Against the real server.
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
// the throttle answers 429; returns how many were answered 401.
async function lockOut(server, forwardedFor) {
  for (let i = 0; i < 10; i += 1) {
    const response = await fetch(`${server.url}/api/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username: 'tester', password: 'wrong-password-x', device: 'web-proxy-test' }),
    });
    if (response.status === 429) return i;
    assert.equal(response.status, 401);
  }
  return 10;
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
});
