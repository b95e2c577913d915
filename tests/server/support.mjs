// Shared pieces of the server integration tests: server lifecycle with
// bounded waits, a file's server and its sync connections (useServer),
// reference data, checks on what the server has stored, and the HTTP calls,
// sign-ins and files that set a test up.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { startPostgres } from '../support/postgres.mjs';
import { buildDir, projectRoot, startServer } from '../support/server.mjs';
import { catchUp, countIds, duplicateIds, newDeviceId, SyncClient } from '../support/sync_client.mjs';

export { startServer };

export const hartford = JSON.parse(readFileSync(path.join(projectRoot, 'server', 'data', 'hartford.json'), 'utf8'));
export const NEIGHBORHOOD_SLUGS = hartford.neighborhoods.map((n) => n.slug).sort();

// Stops the server with `signal` and resolves with {code, signal}; fails if it
// has not exited within `timeoutMs` (and then kills it, so no test hangs).
export function stopServer(server, signal = 'SIGTERM', { timeoutMs = 10000 } = {}) {
  const child = server.child;
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`psc-server did not exit within ${timeoutMs} ms of ${signal}; output:\n${server.output()}`));
    }, timeoutMs);
    child.once('exit', (code, exitSignal) => { clearTimeout(timer); resolve({ code, signal: exitSignal }); });
    child.kill(signal);
  });
}

// Kills the server (if still running) and removes its data folder. Fails if
// the server ever tried blocking work (SQLite) on its network thread: it
// refuses and logs that (server/network_thread.hpp), so every server test
// checks that the network thread only moves bytes.
export async function disposeServer(server) {
  if (!server) return;
  await stopServer(server, 'SIGKILL').catch(() => {});
  server.removeData();
  const misplaced = server.output().split('\n').filter((line) => /on the network thread \(a bug/.test(line));
  assert.deepEqual(misplaced, [], 'blocking work on the network thread');
}

// The sync connections a test opens, kept so that none outlives the file even
// when a test fails half-way: connect(options, on) is SyncClient.connect to
// the server `on` (by default `defaultServer()`), open(on) a bare
// SyncClient.open (for a hello the test writes itself); terminateAll() cuts
// every one of them (a test that failed may have left them mid-message).
export function syncClients(defaultServer = () => undefined) {
  const clients = [];
  const track = (client) => { clients.push(client); return client; };
  return {
    connect: async (options, on = defaultServer()) => track(await SyncClient.connect(on.wsUrl, options)),
    open: async (on = defaultServer()) => track(await SyncClient.open(on.wsUrl)),
    terminateAll: () => { for (const client of clients.splice(0)) client.terminate(); },
  };
}

// A test file's real server, as useServerAndBrowser (tests/browser/support.mjs)
// gives the browser tests theirs: started before the file's tests on a fresh
// data folder (`serverOptions` as startServer takes them), `prepare(server,
// {connect})` then making its accounts and data, `started(server)` handing it
// to the file. Returns syncClients() of it: {connect(options, on), open(on)}.
// After the file every connection is cut and the server disposed of
// (disposeServer: killed, data removed, its log checked). A file that needs
// servers of other settings for all its tests calls useServer once for each,
// and connects to them with connect(options, thatServer). What needs the
// server before the tests belongs in `prepare`, not in a before() of the
// file's own: node 20 runs a file's top-level before hooks side by side.
//
// With PSC_TEST_STORE=postgres in the environment the server keeps its
// changes and accounts in a throw-away PostgreSQL started for the file
// (tests/support/postgres.mjs): how *_postgres.test.mjs run a SQLite test
// file's tests again on PostgreSQL.
export function useServer({ serverOptions = {}, prepare = () => {}, started = () => {} } = {}) {
  let server;
  let pg;
  const { connect, open, terminateAll } = syncClients(() => server);
  before(async () => {
    if (process.env.PSC_TEST_STORE === 'postgres') {
      pg = await startPostgres();
      serverOptions = { ...serverOptions, args: [...(serverOptions.args ?? []), '--store', pg.uri] };
    }
    server = await startServer(serverOptions);
    await prepare(server, { connect, open });
    started(server);
  });
  after(async () => {
    terminateAll();
    await disposeServer(server);
    await pg?.stop();
  });
  return { connect, open };
}

// Asserts the server stores exactly `before` plus `added` (change objects
// or ids), each once, checked by a fresh device catching up from 0.
export async function assertStoredExactly(server, before, added = [], message = '') {
  const now = await catchUp(server.wsUrl);
  assert.deepEqual(duplicateIds(now.changes), [], `${message}: no change is stored twice`);
  const expected = [...before.map((c) => c.id), ...added.map((c) => (typeof c === 'string' ? c : c.id))];
  assert.deepEqual(now.changes.map((c) => c.id).sort(), [...expected].sort(),
                   `${message}: stored changes are exactly the ones expected`);
  return now;
}

// Asserts each of `changes` is stored exactly once and byte-for-byte as sent.
export function assertEachOnce(stored, changes, message = '') {
  const counts = countIds(stored);
  const byId = new Map(stored.map((c) => [c.id, c]));
  for (const change of changes) {
    assert.equal(counts.get(change.id) ?? 0, 1, `${message}: ${change.id} stored exactly once`);
    assert.deepEqual(byId.get(change.id), change, `${message}: ${change.id} stored as sent`);
  }
}

// Splits `items` into arrays of at most `size`.
export function chunks(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// A JSON request to `server`'s HTTP API with `headers` added. `body` is sent
// as JSON, or as it is when a string (malformed bodies). Resolves with
// {status, headers, body} (the answer parsed).
export async function jsonRequest(server, method, pathname, body, headers = {}) {
  const response = await fetch(server.url + pathname, {
    method, headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

// A JSON call to `server`'s HTTP API as the device `as` ({device, token}; null:
// no sign-in), as jsonRequest answers it.
export function apiCall(server, method, pathname, body, as) {
  const headers = as ? { authorization: `Bearer ${as.token}`, 'x-psc-device': as.device } : {};
  return jsonRequest(server, method, pathname, body, headers);
}

// A new device (named newDeviceId(prefix)) of `account` (default: the test
// coordinator) with a token the admin CLI issued: {device, token}, the `as`
// that apiCall and kioskSignIn take.
export function deviceOf(server, prefix, account) {
  const device = newDeviceId(prefix);
  return { device, token: server.token(device, account) };
}

// Signs `username` in over HTTP (POST /api/login) on `device`. Resolves with
// the answer's body and the device, {device, token, role, ...}: the `as` that
// apiCall and kioskSignIn take (no token when the sign-in was refused).
export async function signIn(server, username, password, device) {
  return { ...(await apiCall(server, 'POST', '/api/login', { username, password, device }, null)).body, device };
}

// A hand-off file as the web app's "export unsynced changes" writes it
// (web/js/handoff-file.js): `changes` of `account` from `device`, signed with
// that device's token.
export function handoffFile(changes, { token, device, account }) {
  const payload = JSON.stringify({ account, created_at: Date.now(), changes });
  const key = createHash('sha256').update(token).digest();
  return { format: 'psc-handoff', version: 1, device, payload, mac: createHmac('sha256', key).update(payload).digest('hex') };
}

// A kiosk tablet signed in as an organizer sets one up: the organizer's device
// `as` ({device, token}) issues a kiosk code of its neighborhood and the
// tablet `device` redeems it. Resolves with the kiosk-login answer's body
// ({token, account, role, ...}).
export async function kioskSignIn(server, as, device) {
  const { code } = (await apiCall(server, 'POST', '/api/kiosk-codes', {}, as)).body;
  return (await apiCall(server, 'POST', '/api/kiosk-login', { code, device }, null)).body;
}

// The id the core derives for an attendance, vote or tally from its parts
// (psc-derive-id, built from shared/include/psc/derived_id.hpp), exactly the
// id a device builds: deriveId('attendance', meeting, name), ('vote', meeting,
// priority, voter), ('tally', meeting, priority).
export function deriveId(...args) {
  return execFileSync(path.join(buildDir, 'tests', 'tools', 'psc-derive-id'), args, { encoding: 'utf8' }).trim();
}

// The server process's resident memory in KiB (Linux /proc).
export function rssKiB(server) {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}
