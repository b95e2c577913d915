// First start: the database, Hartford's 17 neighborhoods and the seed of the
// departments and categories coordinators manage; GET /health and GET /; a
// restart keeps the data and does not seed again.
import assert from 'node:assert/strict';
import { existsSync, openSync, readFileSync, readSync, closeSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { webRoot } from '../support/server.mjs';
import { catchUp, ChangeMaker, getJson, SyncClient } from '../support/sync_client.mjs';
import { disposeServer, hartford, NEIGHBORHOOD_SLUGS, startServer, stopServer } from './support.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => disposeServer(server));

// The seed: one change per neighborhood; name, name_es, kind and active of
// each department; name, name_es and active of each category.
const SEEDED = hartford.neighborhoods.length + hartford.departments.length * 4 + hartford.categories.length * 3;

test('first start on an empty data folder creates psc.sqlite and seeds the 17 neighborhoods and the city\'s lists', async () => {
  assert.ok(existsSync(path.join(server.dataDir, 'psc.sqlite')), 'the data folder holds psc.sqlite');

  const { changes: all, pages } = await catchUp(server.wsUrl);
  assert.equal(pages.at(-1).more, false);
  assert.equal(all.length, SEEDED, `seeded changes: ${all.map((c) => `${c.type}/${c.record}`).join(', ')}`);
  // The lists: every department and category, active, with both names.
  const lists = all.filter((c) => c.type !== 'neighborhood');
  for (const [type, entries] of [['department', hartford.departments], ['category', hartford.categories]]) {
    for (const entry of entries) {
      const fields = Object.fromEntries(lists.filter((c) => c.type === type && c.record === entry.slug).map((c) => [c.field, c.value]));
      assert.deepEqual(fields, { name: entry.name, name_es: entry.name_es, active: true, ...(type === 'department' ? { kind: entry.kind } : {}) },
        `${type} ${entry.slug}`);
    }
  }
  assert.ok(lists.every((c) => c.device === 'server' && c.actor === 'reference data'));
  const changes = all.filter((c) => c.type === 'neighborhood');
  assert.equal(changes.length, 17);
  assert.deepEqual(changes.map((c) => c.record).sort(), NEIGHBORHOOD_SLUGS, 'one change per neighborhood slug');
  const names = new Map(hartford.neighborhoods.map((n) => [n.slug, n.name]));
  for (const change of changes) {
    assert.equal(change.type, 'neighborhood', change.id);
    assert.equal(change.field, 'name', change.id);
    assert.equal(change.device, 'server', change.id);
    assert.equal(change.value, names.get(change.record), change.id);
    assert.match(change.hlc, /^[0-9a-f]{16}$/, change.id);
    assert.equal(change.id, `${change.hlc}@server`);
    assert.deepEqual(change.base, []);
  }
  assert.ok(names.get('frog-hollow'), 'Frog Hollow is one of them');
});

test('GET /health answers 200 with JSON status ok', async () => {
  const health = await getJson(`${server.url}/health`);
  assert.equal(health.status, 200, health.text);
  assert.match(health.contentType, /application\/json/);
  assert.equal(health.body?.status, 'ok', health.text);
});

test('GET / serves index.html from the web root', async () => {
  const response = await fetch(`${server.url}/`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/html/);
  assert.equal(await response.text(), readFileSync(path.join(webRoot, 'index.html'), 'utf8'));
});

// Width and height from a PNG's IHDR chunk (bytes 16–23), or null when the
// bytes are not a PNG.
function pngSize(bytes) {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return null;
  if (bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return null;
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

test('the app installs with PNG icons: 192 and 512, a maskable one, and an apple-touch-icon iPadOS uses', async () => {
  const manifest = await (await fetch(`${server.url}/manifest.webmanifest`)).json();
  const pngs = manifest.icons.filter((icon) => icon.type === 'image/png');
  assert.deepEqual(pngs.map((icon) => `${icon.sizes} ${icon.purpose}`).sort(),
    ['192x192 any', '512x512 any', '512x512 maskable']);
  const index = await (await fetch(`${server.url}/`)).text();
  const touch = index.match(/<link rel="apple-touch-icon" href="([^"]+)" sizes="([^"]+)">/);
  assert.ok(touch, 'index.html names an apple-touch-icon');
  for (const { src, sizes } of [...pngs, { src: touch[1], sizes: touch[2] }]) {
    const response = await fetch(new URL(src, `${server.url}/`));
    assert.equal(response.status, 200, src);
    assert.equal(response.headers.get('content-type'), 'image/png', src);
    assert.equal(pngSize(Buffer.from(await response.arrayBuffer())), sizes, `${src} is a ${sizes} PNG`);
  }
});

test('a restart on the same data folder keeps everything and does not seed again', async () => {
  const device = await SyncClient.connect(server.wsUrl);
  const created = new ChangeMaker(device.device).priority({ title: 'Streetlight out on Park St' });
  const ack = await device.push(created);
  assert.deepEqual(ack.accepted.sort(), created.map((c) => c.id).sort());
  await device.close();
  const beforeRestart = await catchUp(server.wsUrl);
  assert.equal(beforeRestart.changes.length, SEEDED + created.length);

  const { code, signal } = await stopServer(server, 'SIGTERM');
  assert.equal(code, 0, `clean exit on SIGTERM (signal ${signal}); output:\n${server.output()}`);

  // The database is in WAL mode: bytes 18 and 19 of the header are 2.
  const header = Buffer.alloc(100);
  const fd = openSync(path.join(server.dataDir, 'psc.sqlite'), 'r');
  try { readSync(fd, header, 0, 100, 0); } finally { closeSync(fd); }
  assert.equal(header.toString('latin1', 0, 15), 'SQLite format 3');
  assert.deepEqual([header[18], header[19]], [2, 2], 'journal mode is WAL');

  server = await startServer({ dataDir: server.dataDir });
  const afterRestart = await catchUp(server.wsUrl);
  assert.deepEqual(afterRestart.changes, beforeRestart.changes, 'same changes, same order, after the restart');
  assert.equal(afterRestart.changes.filter((c) => c.type === 'neighborhood').length, 17, 'not seeded again');
  assert.equal((await getJson(`${server.url}/health`)).body?.status, 'ok');
});
