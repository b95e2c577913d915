// kill -9 of a node in the middle of pushes (issue 13): three psc-server
// nodes share one PostgreSQL; devices push on nodes A and B, each batch
// resent until acknowledged, as the web app does. Once a third of the
// night is acknowledged node A is killed with SIGKILL (no goodbye, pushes
// in flight). Its devices reconnect to another node with the same token and
// resend what was not acknowledged. The ledger (what each device was told
// is stored) must then match the database: every acknowledged change stored
// exactly once, nothing lost, sequences without a hole, and a device
// catching up on a surviving node gets each change once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPostgres } from '../support/postgres.mjs';
import { ChangeMaker, catchUp, duplicateIds, newDeviceId } from '../support/sync_client.mjs';
import { disposeServer, startServer, syncClients } from './support.mjs';

let pg;
let nodes = [];
const { connect, terminateAll } = syncClients();

before(async () => {
  pg = await startPostgres();
  nodes = await Promise.all([0, 1, 2].map(() => startServer({ args: ['--store', pg.uri] })));
});
after(async () => {
  terminateAll();
  for (const node of nodes) await disposeServer(node);
  await pg?.stop();
});

test('multi_node: SIGKILL of a node mid-push: its devices resend elsewhere and the ledger shows each acknowledged change once', async () => {
  const DEVICES = 8;
  const BATCHES = 25;
  const PER_BATCH = 5;  // priorities: 20 changes a batch
  const total = DEVICES * BATCHES * PER_BATCH * 4;
  const ledger = new Set();  // every change id some node acknowledged
  let killed = false;
  let moved = 0;
  const killAt = Math.floor(total / 3);

  const alive = (node) => node.child.exitCode === null && node.child.signalCode === null;
  async function runDevice(i) {
    const device = newDeviceId(`ledger${i}`);
    const token = nodes[0].token(device);  // tokens live in PostgreSQL: valid on every node
    const maker = new ChangeMaker(device);
    let at = i % 2;  // half on node A, half on node B
    let client = await connect({ device, token, catchUp: false }, nodes[at]);
    for (let b = 0; b < BATCHES; b += 1) {
      const batch = maker.priorities(PER_BATCH);
      for (;;) {
        try {
          const ack = await client.push(batch, { timeoutMs: 5000 });
          assert.deepEqual(ack.rejected, []);
          for (const id of ack.accepted) ledger.add(id);
          break;
        } catch (error) {
          if (error.code === 'ERR_ASSERTION') throw error;
          // The node is gone (or the ack never came): another node, the same batch again.
          client.terminate();
          do at = (at + 1) % nodes.length; while (!alive(nodes[at]));
          moved += 1;
          client = await connect({ device, token, catchUp: false }, nodes[at]);
        }
      }
      if (!killed && ledger.size >= killAt) {
        killed = true;
        nodes[0].child.kill('SIGKILL');
      }
    }
  }
  await Promise.all(Array.from({ length: DEVICES }, (_, i) => runDevice(i)));

  assert.ok(killed, 'node A was killed during the pushes');
  assert.ok(moved >= DEVICES / 2, `node A's devices moved (${moved} reconnections)`);
  assert.equal(ledger.size, total, 'every change was acknowledged in the end');
  const twice = pg.psql('SELECT change_id FROM psc_changes GROUP BY change_id HAVING count(*) > 1').trim();
  assert.equal(twice, '', 'no change stored twice');
  const stored = new Set(pg.psql("SELECT change_id FROM psc_changes WHERE device LIKE 'ledger%'").trim().split('\n'));
  assert.equal(stored.size, total);
  for (const id of ledger) assert.ok(stored.has(id), `acknowledged ${id} is stored`);
  const [count, max] = pg.psql('SELECT count(*), max(seq) FROM psc_changes').trim().split('|').map(Number);
  assert.equal(max, count, 'sequences 1..n without a hole');
  const view = await catchUp(nodes[2].wsUrl);
  assert.deepEqual(duplicateIds(view.changes), []);
  assert.equal(view.changes.filter((c) => c.device.startsWith('ledger')).length, total, 'node C sends each once');
});
