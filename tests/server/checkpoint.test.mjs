// WAL checkpoints run on the server's own checkpointer thread (the commit
// path never checkpoints): committed changes reach the database file while
// the server runs, not only when it stops.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ChangeMaker } from '../support/sync_client.mjs';
import { useServer } from './support.mjs';

let server;
const { connect } = useServer({ started: (s) => { server = s; } });

test('committed changes are checkpointed into the database file while the server runs', async () => {
  const file = path.join(server.dataDir, 'psc.sqlite');
  const before = statSync(file).size;
  const client = await connect();
  const maker = new ChangeMaker(client.device);
  // ~8 MB: past the 1,000 WAL pages (4 MB) that wake the checkpointer.
  for (let b = 0; b < 40; b += 1) {
    const ack = await client.push(maker.priorities(50, { extra: { description: `${b} `.padEnd(3900, 'x') } }));
    assert.equal(ack.rejected.length, 0);
  }
  let size = statSync(file).size;
  for (let i = 0; i < 100 && size < before + 6 * 1024 * 1024; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    size = statSync(file).size;
  }
  assert.ok(size >= before + 6 * 1024 * 1024, `psc.sqlite grew from ${before} to ${size} bytes while the server ran`);
  await client.close();
});
