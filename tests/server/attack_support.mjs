// Helpers of the attacker's suites (attack_*.test.mjs): HTTP from a chosen
// loopback address and raw requests whose body is never (or slowly) sent.
// (The server's memory as the kernel sees it: rssKiB in support.mjs.)
import http from 'node:http';
import net from 'node:net';

// One HTTP request; `localAddress` picks the client's address (127.0.0.2 ...
// are all loopback on Linux). Resolves with {status, headers, text, body, ms}.
export function request(server, { method = 'GET', path = '/', headers = {}, body, localAddress } = {}) {
  const url = new URL(server.url);
  const started = performance.now();
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  // With a Content-Length, as browsers send (not chunked).
  const bodyHeaders = text === undefined ? {}
    : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, localAddress, agent: false,
                               headers: { ...bodyHeaders, ...headers } },
                             (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let parsed;
        try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, body: parsed, ms: performance.now() - started });
      });
    });
    req.on('error', reject);
    if (text !== undefined) req.write(text);
    req.end();
  });
}

// Sends `head` (request line and headers, ending with a blank line) on a raw
// connection, then calls `feed(socket)` (which may write some or all of a
// body, or nothing). Resolves with the first response's {status, text, ms}
// as soon as it has arrived, whatever is still being sent; rejects if none
// comes within `timeoutMs`.
export function rawRequest(server, head, { feed = () => {}, timeoutMs = 5000, localAddress } = {}) {
  const url = new URL(server.url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port), localAddress });
    let received = '';
    let done = false;
    const finish = (error, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error); else resolve(value);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms (got ${JSON.stringify(received.slice(0, 200))})`)),
                             timeoutMs);
    socket.on('error', (error) => { if (!received) finish(error); });
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(received.slice(0, end))?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      finish(null, { status: Number(received.slice(9, 12)), text: received.slice(end + 4, end + 4 + length),
                     ms: performance.now() - started });
    });
    socket.on('close', () => finish(new Error(`closed without an answer (got ${JSON.stringify(received.slice(0, 200))})`)));
    socket.on('connect', () => {
      socket.write(head);
      feed(socket);
    });
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The device-token id the admin CLI lists for `device` (psc-server admin list-devices).
export function tokenIdOf(server, device) {
  const line = server.admin('list-devices').split('\n').find((l) => l.split('\t')[2] === device && l.endsWith('active'));
  if (!line) throw new Error(`no active token for device ${device}`);
  return Number(line.split('\t')[0]);
}
