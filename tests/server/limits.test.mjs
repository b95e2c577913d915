// Flood limits: a device sending too fast is cut off with a clear error, too
// many connections from one address are refused, and other devices carry on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import WebSocket from 'ws';

import { ChangeMaker, SyncClient, newDeviceId } from '../support/sync_client.mjs';
import { disposeServer, startServer } from './support.mjs';

let server;
const clients = [];

before(async () => {
  server = await startServer({ args: ['--max-messages-per-second', '20', '--max-connections-per-address', '4'] });
});
after(async () => {
  for (const c of clients) c.terminate();
  await disposeServer(server);
});

async function connect(options) {
  const client = await SyncClient.connect(server.wsUrl, options);
  clients.push(client);
  return client;
}

test('a flooding device is cut off with rate_limited; another device is unaffected', async () => {
  const calm = await connect();
  const flood = await connect();
  for (let i = 0; i < 200; i += 1) flood.send({ type: 'push', batch: `f${i}`, changes: [] });
  const error = await flood.next((m) => m.type === 'error' && m.code === 'rate_limited');
  assert.match(error.message, /messages per second/);
  await flood.waitClose();
  const acks = flood.received.filter((m) => m.type === 'ack').length;
  assert.ok(acks >= 20 && acks <= 60, `the burst allowance was served before the cut-off (${acks} acks)`);

  const ack = await calm.push(new ChangeMaker(calm.device).priority({ title: 'Still served' }));
  assert.equal(ack.rejected.length, 0);
  await calm.close();
});

async function openConnections() {
  return (await (await fetch(`${server.url}/health`)).json()).connections;
}

test('connections beyond the per-address limit are refused before the upgrade', async () => {
  for (let i = 0; i < 100 && (await openConnections()) > 0; i += 1) await new Promise((r) => setTimeout(r, 20));
  const open = [];
  for (let i = 0; i < 4; i += 1) open.push(await connect({ catchUp: false }));
  const status = await new Promise((resolve, reject) => {
    const ws = new WebSocket(server.wsUrl);
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode); ws.terminate(); });
    ws.on('open', () => { ws.terminate(); reject(new Error('a fifth connection was accepted')); });
    ws.on('error', () => {});
  });
  assert.equal(status, 429);
  await open[0].close();
  // Room again once one closes.
  for (let i = 0; i < 100 && (await openConnections()) > 3; i += 1) await new Promise((r) => setTimeout(r, 20));
  const again = await connect({ device: newDeviceId(), catchUp: false });
  assert.equal(again.welcome.type, 'welcome');
});
