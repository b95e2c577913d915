// Shared pieces of the server integration tests: server lifecycle with
// bounded waits, reference data, and checks on what the server has stored.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot, startServer } from '../support/server.mjs';
import { catchUp, countIds, duplicateIds } from '../support/sync_client.mjs';

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

// A JSON call to `server`'s HTTP API as the device `as` ({device, token}; null:
// no sign-in). `body` is sent as JSON, or as it is when a string (malformed
// bodies). Resolves with {status, body} (the answer parsed).
export async function apiCall(server, method, pathname, body, as) {
  const headers = { 'content-type': 'application/json' };
  if (as) Object.assign(headers, { authorization: `Bearer ${as.token}`, 'x-psc-device': as.device });
  const response = await fetch(server.url + pathname, {
    method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
