// Audit trail (who changed what, when, from which device), device custody,
// and the admin CLI's online backup and restore, against the real server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { admin, makeDataDir, serverBinary } from '../support/server.mjs';
import { ChangeMaker, catchUp, newDeviceId, randomRecordId } from '../support/sync_client.mjs';
import { disposeServer, startServer, useServer } from './support.mjs';

// The file's server; the format tests and the restored backup start servers
// of their own on other data folders (disposed of by the test).
let server;
const { connect } = useServer({ started: (s) => { server = s; } });

function getFrom(target, pathname, device, token) {
  return fetch(target.url + pathname, { headers: token ? { authorization: `Bearer ${token}`, 'x-psc-device': device } : {} });
}
function get(pathname, device, token) { return getFrom(server, pathname, device, token); }

test('the coordinator sees the history of a record: every change, who, which device, when', async () => {
  server.createAccount('org-pk', 'organizer', { neighborhood: 'parkville' });
  const a = await connect({ device: newDeviceId('tab-a') });
  const b = await connect({ device: newDeviceId('tab-b'), account: 'org-pk' });
  const record = randomRecordId();
  const before = Date.now();
  await a.push(new ChangeMaker(a.device).priority({ record, title: 'Broken hydrant', neighborhood: 'parkville' }));
  const edit = new ChangeMaker(b.device, { actor: 'org-pk' }).change({ type: 'priority', record, field: 'status', value: 'adopted' });
  assert.deepEqual((await b.push([edit])).rejected, []);

  const device = newDeviceId('desk');
  const token = server.token(device);
  const response = await get(`/api/history?type=priority&id=${record}`, device, token);
  assert.equal(response.status, 200);
  const { history } = await response.json();
  assert.equal(history.length, 5);
  const last = history.at(-1);
  assert.equal(last.actor, 'org-pk');
  assert.equal(last.device, b.device);
  assert.equal(last.field, 'status');
  assert.equal(last.value, 'adopted');
  assert.ok(last.received_at >= before && last.received_at <= Date.now());
  assert.ok(history.slice(0, 4).every((h) => h.actor === 'tester' && h.device === a.device));

  assert.equal((await get(`/api/history?type=priority&id=${record}`)).status, 401, 'no token');
  const orgDevice = newDeviceId('org');
  assert.equal((await get(`/api/history?type=priority&id=${record}`, orgDevice, server.token(orgDevice, 'org-pk'))).status, 403);
  assert.equal((await get('/api/history?type=spaceship&id=x', device, token)).status, 400);
  // Query strings are decoded as clients encode them (Boost.URL): an escaped
  // letter is the letter; a stray '%' is a malformed URL, refused.
  const escaped = await get(`/api/history?type=prio%72ity&id=${record}`, device, token);
  assert.equal(escaped.status, 200);
  assert.equal((await escaped.json()).history.length, 5);
  const stray = await get(`/api/history?type=priority&id=${record}%zz`, device, token);
  assert.equal(stray.status, 400);
  assert.equal((await stray.json()).error, 'bad_query');
});

// The change store's format 1 kept each change's JSON body beside copies of
// its columns; the compact format (server/sqlite_change_store.cpp) keeps the
// parts. A data folder in format 1 (made here from a current one with the
// sqlite3 shell) is converted when the server opens it.
const FORMAT_1 = `
BEGIN;
CREATE TABLE changes_old (seq INTEGER PRIMARY KEY, change_id TEXT NOT NULL UNIQUE, record_type TEXT NOT NULL,
  record_id TEXT NOT NULL, field TEXT NOT NULL, neighborhood TEXT, device TEXT NOT NULL, actor TEXT NOT NULL,
  received_at INTEGER NOT NULL, body TEXT NOT NULL);
INSERT INTO changes_old SELECT seq, change_id, record_type, record_id, field, neighborhood, substr(change_id, 18),
  actor, received_at,
  json_object('actor', actor,
              'base', json(CASE WHEN base IS NULL THEN '[]' ELSE '["' || replace(base, ' ', '","') || '"]' END),
              'device', substr(change_id, 18), 'field', field, 'hlc', substr(change_id, 1, 16), 'id', change_id,
              'record', record_id, 'type', record_type, 'value', json(value))
  FROM changes_readable;
DROP VIEW changes_readable;
DROP TABLE changes;
DROP TABLE names;
ALTER TABLE changes_old RENAME TO changes;
CREATE INDEX changes_by_neighborhood ON changes(neighborhood, seq);
CREATE INDEX changes_by_record ON changes(record_type, record_id);
COMMIT;
PRAGMA user_version = 0;`;

// Runs SQL on `server`'s database file with the sqlite3 shell; resolves with what it prints.
function sqlOn(server) {
  const file = path.join(server.dataDir, 'psc.sqlite');
  return (statement) => new Promise((resolve, reject) =>
    execFile('sqlite3', [file, statement], (error, stdout) => (error ? reject(error) : resolve(stdout))));
}

test('a data folder in the JSON-body format is converted at start: catch-up, resends and audit history hold', async () => {
  const old = await startServer();
  const device = newDeviceId('tab-old');
  const client = await connect({ device, token: old.token(device) }, old);
  const record = randomRecordId();
  const maker = new ChangeMaker(client.device);
  const created = maker.priority({ record, title: 'Graffiti on the bridge — \u201cpuente\u201d', neighborhood: 'parkville' });
  await client.push(created);
  const edit = maker.change({ type: 'priority', record, field: 'title', value: 'Graffiti gone',
                              base: [created.find((c) => c.field === 'title').id] });
  await client.push([edit]);
  client.terminate();
  assert.equal(await old.stop(), 0);
  const sql = sqlOn(old);
  const rows = Number((await sql('SELECT count(*) FROM changes')).trim());
  await sql(FORMAT_1);
  assert.equal((await sql("SELECT count(*) FROM pragma_table_info('changes') WHERE name = 'body'")).trim(), '1');

  const again = await startServer({ dataDir: old.dataDir });
  try {
    assert.equal((await sql("SELECT count(*) FROM pragma_table_info('changes') WHERE name = 'body'")).trim(), '0');
    assert.equal((await sql('PRAGMA user_version')).trim(), '2', 'the format is recorded');
    assert.equal(Number((await sql('SELECT count(*) FROM changes')).trim()), rows);
    const desk = newDeviceId('desk');
    const response = await getFrom(again, `/api/history?type=priority&id=${record}`, desk, again.token(desk));
    assert.equal(response.status, 200);
    assert.equal((await response.json()).history.length, 5);
    // A fresh device catches up every change exactly as it was pushed.
    const reader = await connect({ device: desk, token: again.token(desk) }, again);
    const byId = new Map(reader.catchUp.changes.map((c) => [c.id, c]));
    for (const change of [...created, edit]) assert.deepEqual(byId.get(change.id), change);
    // The old device's resend is answered as already stored, not stored twice.
    const back = await connect({ device, token: again.token(device) }, again);
    const ack = await back.push([...created, edit]);
    assert.deepEqual(ack.rejected, []);
    assert.equal(ack.accepted.length, created.length + 1);
    assert.equal(Number((await sql('SELECT count(*) FROM changes')).trim()), rows);
  } finally {
    await disposeServer(again);
  }
});

test('a data folder written by a newer server (a higher store format) is refused, untouched', async () => {
  const fresh = await startServer();
  try {
    const sql = sqlOn(fresh);
    assert.equal((await sql('PRAGMA user_version')).trim(), '2', 'a new file records its format');
    assert.equal(await fresh.stop(), 0);
    await sql('PRAGMA user_version = 3');
    const before = (await sql('SELECT count(*) FROM changes')).trim();
    await assert.rejects(startServer({ dataDir: fresh.dataDir }),
                         /written by a newer psc-server \(store format 3; this one reads up to 2\)/);
    assert.equal((await sql('PRAGMA user_version')).trim(), '3');
    assert.equal((await sql('SELECT count(*) FROM changes')).trim(), before);
  } finally {
    await disposeServer(fresh);
  }
});

test('device custody: the coordinator sees each device, when it was last seen and what it still holds', async () => {
  const device = newDeviceId('custody');
  const token = server.token(device);  // one token: the list has a row per token
  const client = await connect({ device, token, unsynced: 7 });
  await client.close();
  const desk = newDeviceId('desk');
  const list = await (await get('/api/devices', desk, server.token(desk))).json();
  const entry = list.find((d) => d.device === device);
  assert.ok(entry, 'the device is listed');
  assert.equal(entry.reported_unsynced, 7);
  assert.ok(entry.last_seen_at > 0);
  assert.equal(entry.unsynced_since, entry.last_seen_at, 'holding unsynced changes since that hello');
  assert.equal(entry.role, 'coordinator');
  assert.equal(entry.last_cursor, 0);
  assert.ok(!JSON.stringify(list).match(/[0-9a-f]{64}/), 'no token secrets in the list');

  // Reconnecting still holding them keeps "since when"; delivering them clears it.
  const again = await connect({ device, token, unsynced: 3 });
  const held = (await (await get('/api/devices', desk, server.token(desk))).json()).find((d) => d.device === device);
  assert.equal(held.reported_unsynced, 3);
  assert.equal(held.unsynced_since, entry.unsynced_since);
  assert.equal((await again.push(new ChangeMaker(device).priority())).accepted.length, 4);
  const delivered = (await (await get('/api/devices', desk, server.token(desk))).json()).find((d) => d.device === device);
  assert.equal(delivered.reported_unsynced, 0, 'what it delivered no longer counts as held');
  assert.equal(delivered.unsynced_since, null);
  await again.close();
});

test('an online backup taken under load restores every change acknowledged before it', async () => {
  const pusher = await connect({ device: newDeviceId('load') });
  const maker = new ChangeMaker(pusher.device);
  const acked = [];
  for (let i = 0; i < 20; i += 1) {
    const batch = maker.priorities(10);
    const ack = await pusher.push(batch);
    assert.equal(ack.rejected.length, 0);
    acked.push(...ack.accepted);
  }
  // Keep pushing while the backup runs.
  let stop = false;
  const background = (async () => {
    while (!stop) acked.push(...(await pusher.push(maker.priorities(10))).accepted);
  })();
  const backupDir = mkdtempSync(path.join(tmpdir(), 'psc-backup-'));
  const backupFile = path.join(backupDir, 'psc-backup.sqlite');
  const ackedBefore = acked.length;
  // Asynchronously, so the pushes go on while the backup runs.
  const out = await new Promise((resolve, reject) => execFile(serverBinary,
    ['admin', 'backup', '--data', server.dataDir, '--to', backupFile], (error, stdout) => (error ? reject(error) : resolve(stdout))));
  const ackedAtEnd = acked.slice(0, ackedBefore);
  stop = true;
  await background;
  assert.match(out, /backed up/);
  assert.ok(acked.length > ackedBefore, 'pushes went on while the backup ran');

  const restoredDir = makeDataDir();
  assert.match(admin(restoredDir, 'restore', '--from', backupFile), /restored \d+ changes/);
  const restored = await startServer({ dataDir: restoredDir });
  try {
    const { changes } = await catchUp(restored.wsUrl);
    const ids = new Set(changes.map((c) => c.id));
    assert.equal(ids.size, changes.length, 'no duplicates');
    const missing = ackedAtEnd.filter((id) => !ids.has(id));
    assert.deepEqual(missing, [], 'every change acknowledged before the backup is in it');
  } finally {
    await disposeServer(restored);
    rmSync(backupDir, { recursive: true, force: true });
  }
});
