// The deployment files in server/packaging/: the systemd unit passes
// `systemd-analyze verify` with no warning (an unknown key or a bad value is
// ignored by systemd, so only the warning shows it), and the example
// configuration starts the real server (every name in it is an option).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { projectRoot, serverBinary } from '../support/server.mjs';
import { disposeServer, startServer } from './support.mjs';

const packaging = path.join(projectRoot, 'server', 'packaging');
const temp = mkdtempSync(path.join(tmpdir(), 'psc-packaging-'));
after(() => rmSync(temp, { recursive: true, force: true }));

test('the systemd unit verifies cleanly, and a mistake in it would show', () => {
  const unit = readFileSync(path.join(packaging, 'psc-server.service'), 'utf8')
    .replaceAll('/usr/local/bin/psc-server', serverBinary);  // verify checks that the binary exists
  const verify = (text) => {
    const file = path.join(temp, 'psc-server.service');
    writeFileSync(file, text);
    return spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  };
  const clean = verify(unit);
  assert.equal(clean.status, 0, clean.stderr);
  assert.equal(clean.stderr.trim(), '', 'no warning');
  const mistaken = verify(unit.replace('ProtectSystem=strict', 'ProtectSystm=strict'));
  assert.match(mistaken.stderr, /Unknown key 'ProtectSystm'/);
});

test('the example configuration starts the server (flags override its folders and address)', async () => {
  // startServer's own --host, --port, --data and --web-root flags win over the file's lines.
  const server = await startServer({ args: ['--config', path.join(packaging, 'psc-server.conf.example')] });
  try {
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    // log-format = json from the file.
    assert.ok(server.output().split('\n').some((line) => /^\{.*"level":"info"/.test(line)), server.output());
  } finally {
    await disposeServer(server);
  }
});
