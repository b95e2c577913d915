// An attacker's (and a hurried operator's) suite for the data folder and the
// admin commands, against the real server process:
//  - `admin restore` while the server runs (on e21dc14 it printed "restored",
//    lost acknowledged changes and handed sequence numbers out twice);
//  - a device whose cursor belongs to the history before a restore;
//  - a second server on the same data folder;
//  - who may read the data folder and its backups (they hold password hashes);
//  - accounts and kiosk codes for neighborhoods or departments that do not exist.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';

import { serverBinary, webRoot } from '../support/server.mjs';
import { ChangeMaker, newDeviceId } from '../support/sync_client.mjs';
import { disposeServer, startServer, stopServer, syncClients } from './support.mjs';

// Not useServer: each test starts servers of its own (the first stops one,
// restores its data folder and starts it again), all kept to the file's end.
const servers = [];
const { connect, open, terminateAll } = syncClients();
after(async () => {
  terminateAll();
  for (const s of servers) await disposeServer(s);
});

async function start(options) {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

function runAdmin(server, ...args) {
  return spawnSync(serverBinary, ['admin', ...args, '--data', server.dataDir], { encoding: 'utf8' });
}

// A raw hello (with the epoch the device remembers) and its welcome.
async function hello(server, { device, cursor, epoch }) {
  const client = await open(server);
  client.device = device;
  const message = { type: 'hello', version: 1, device, token: server.token(device), cursor, unsynced: 0 };
  if (epoch !== undefined) message.epoch = epoch;
  client.send(message);
  client.welcome = await client.nextOfType('welcome');
  client.catchUp = await client.collectPages();
  return client;
}

const mode = (file) => statSync(file).mode & 0o777;

test('restore is refused while a server runs; after a restore every device catches up from the start', async () => {
  const server = await start();
  const writer = await connect({}, server);
  const maker = new ChangeMaker(writer.device);
  const early = maker.priorities(3);
  assert.deepEqual((await writer.push(early)).rejected, []);
  const backup = path.join(server.dataDir, '..', `${path.basename(server.dataDir)}-backup.sqlite`);
  assert.equal(runAdmin(server, 'backup', '--to', backup).status, 0);
  assert.equal(mode(backup), 0o600, 'the backup is readable by its owner only');
  const late = maker.priorities(3);
  assert.deepEqual((await writer.push(late)).rejected, []);

  // A tablet that has seen everything, late changes included.
  const tablet = newDeviceId('tablet');
  const before = await hello(server, { device: tablet, cursor: 0 });
  const { epoch, cursor } = { epoch: before.welcome.epoch, cursor: before.catchUp.cursor };
  assert.match(epoch, /^[0-9a-f]{16}$/);
  assert.equal(before.welcome.cursor, 0);
  await before.close();

  // Restore while the server runs: refused, nothing touched.
  const refused = runAdmin(server, 'restore', '--from', backup);
  assert.notEqual(refused.status, 0, 'restore under a running server fails');
  assert.match(refused.stderr, /running/);
  const still = await hello(server, { device: newDeviceId('audit'), cursor: 0 });
  assert.ok(late.every((c) => still.catchUp.changes.some((s) => s.id === c.id)), 'nothing was lost');
  await still.close();

  // A second server on the same folder is refused too.
  const second = spawnSync(serverBinary, ['--port', '0', '--data', server.dataDir, '--web-root', webRoot],
                           { encoding: 'utf8', timeout: 10000 });
  assert.notEqual(second.status, 0);
  assert.match(second.stderr, /running on/);

  await stopServer(server);
  const restored = runAdmin(server, 'restore', '--from', backup);
  assert.equal(restored.status, 0, restored.stderr);
  assert.match(restored.stdout, /epoch/);
  const again = await start({ dataDir: server.dataDir });

  // New changes take sequence numbers the tablet has already passed.
  const other = await connect({}, again);
  const after = new ChangeMaker(other.device).priorities(4);
  assert.deepEqual((await other.push(after)).rejected, []);

  const back = await hello(again, { device: tablet, cursor, epoch });
  assert.notEqual(back.welcome.epoch, epoch, 'a restored store has a new epoch');
  assert.equal(back.welcome.cursor, 0, 'the old cursor is not trusted');
  for (const c of [...early, ...after])
    assert.ok(back.catchUp.changes.some((s) => s.id === c.id), `${c.id} reaches the tablet`);
  assert.ok(!late.some((c) => back.catchUp.changes.some((s) => s.id === c.id)), 'what the backup lacks is not there');

  // A device that remembers no epoch (an older app) but a cursor past the end.
  const legacy = await hello(again, { device: newDeviceId('legacy'), cursor: cursor + 1000 });
  assert.equal(legacy.welcome.cursor, 0);
  assert.ok(after.every((c) => legacy.catchUp.changes.some((s) => s.id === c.id)));
  // The current epoch and a cursor in range are trusted as they are.
  const current = await hello(again, { device: newDeviceId('current'), cursor: back.catchUp.cursor, epoch: back.welcome.epoch });
  assert.equal(current.welcome.cursor, back.catchUp.cursor);
  assert.deepEqual(current.catchUp.changes, []);
});

test('the data folder and its database are readable by their owner only', async () => {
  const server = await start();
  assert.equal(mode(server.dataDir), 0o700);
  assert.equal(mode(path.join(server.dataDir, 'psc.sqlite')), 0o600);
});

test('accounts and kiosk codes name neighborhoods and departments that exist', async () => {
  const server = await start();
  const create = (...args) => runAdmin(server, 'create-account', '--password', 'a-long-password-1', ...args);
  const atlantis = create('--username', 'org-x', '--role', 'organizer', '--neighborhood', 'atlantis');
  assert.notEqual(atlantis.status, 0);
  assert.match(atlantis.stderr, /no neighborhood "atlantis"/);
  const nasa = create('--username', 'liaison-x', '--role', 'liaison', '--department', 'nasa');
  assert.notEqual(nasa.status, 0);
  assert.match(nasa.stderr, /no department "nasa"/);
  assert.equal(create('--username', 'org-ok', '--role', 'organizer', '--neighborhood', 'south-green').status, 0);

  const device = newDeviceId('desk');
  const response = await fetch(`${server.url}/api/kiosk-codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token(device)}`, 'x-psc-device': device },
    body: JSON.stringify({ neighborhood: 'atlantis' }),
  });
  assert.equal(response.status, 400);
  assert.match((await response.json()).message, /atlantis/);
  execFileSync(serverBinary, ['admin', 'list-accounts', '--data', server.dataDir]);
});
