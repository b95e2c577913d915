// Built-in TLS: with --tls-cert/--tls-key the server speaks HTTPS and WSS
// only, with a certificate made for this test run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ChangeMaker, SyncClient } from '../support/sync_client.mjs';
import { disposeServer, startServer } from './support.mjs';

let server;
let certDir;
let ca;

before(async () => {
  certDir = mkdtempSync(path.join(tmpdir(), 'psc-tls-'));
  const cert = path.join(certDir, 'cert.pem'), key = path.join(certDir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
                           '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  ca = readFileSync(cert);
  server = await startServer({ args: ['--tls-cert', cert, '--tls-key', key] });
});
after(async () => {
  await disposeServer(server);
  rmSync(certDir, { recursive: true, force: true });
});

function httpsGet(pathname) {
  return new Promise((resolve, reject) => {
    https.get(server.url + pathname, { ca }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on('error', reject);
  });
}

test('HTTPS serves health and the app with security headers', async () => {
  assert.match(server.url, /^https:/);
  const health = await httpsGet('/health');
  assert.equal(health.status, 200);
  assert.equal(JSON.parse(health.body).status, 'ok');
  assert.match(health.headers['content-security-policy'], /default-src 'self'/);
  assert.equal(health.headers['x-content-type-options'], 'nosniff');
  assert.equal(health.headers['x-frame-options'], 'DENY');
  // HSTS: once a browser has been here over TLS it refuses plain HTTP to this
  // host for a year (a downgrade by someone on the meeting's Wi-Fi fails).
  assert.match(health.headers['strict-transport-security'] ?? '', /^max-age=\d{7,}/);
  assert.match((await httpsGet('/')).headers['strict-transport-security'] ?? '', /^max-age=/);
});

test('sync works over WSS, and the certificate is checked', async () => {
  const a = await SyncClient.connect(server.wsUrl, { ws: { ca } });
  const b = await SyncClient.connect(server.wsUrl, { ws: { ca } });
  const created = new ChangeMaker(a.device).priority({ title: 'Over TLS' });
  assert.deepEqual((await a.push(created)).rejected, []);
  await b.waitForChanges(created.map((c) => c.id));
  a.terminate();
  b.terminate();
  await assert.rejects(SyncClient.open(server.wsUrl), /self[- ]signed|certificate/i, 'an unknown certificate is refused');
});

test('plain HTTP on the TLS port gets no data', async () => {
  const reply = await new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'));
    let data = '';
    socket.on('data', (d) => { data += d; });
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
    socket.setTimeout(3000, () => socket.destroy());
  });
  assert.doesNotMatch(reply, /"status":"ok"/);
});
