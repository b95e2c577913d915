// A throw-away PostgreSQL server for the tests that store changes there:
// Debian's `postgresql` package (./psc installs it), initdb into a temporary
// folder and postgres listening on 127.0.0.1 at a free port, run as the
// package's unprivileged `postgres` user (the tests run as root, which
// PostgreSQL refuses). Trust authentication: it listens on loopback only
// and lives for one test file.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

function postgresBin() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => path.join(root, v, 'bin')).find((dir) => existsSync(path.join(dir, 'initdb')));
  if (!bin) throw new Error('PostgreSQL is not installed (Debian package postgresql; ./psc test installs it)');
  return bin;
}

// A TCP port free on 127.0.0.1 now (for a server whose address must be
// known before it starts).
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const asPostgres = (command, args, options = {}) => execFileSync('runuser', ['-u', 'postgres', '--', command, ...args],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

// Resolves with {uri, port, psql(sql) -> stdout, stop()}; the database `psc` exists.
export async function startPostgres({ database = 'psc' } = {}) {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'psc-pg-'));
  const pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const pgGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, pgUid, pgGid);
  const data = path.join(dir, 'data');
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const port = await freePort();
  let output = '';
  const child = spawn('runuser', ['-u', 'postgres', '--', path.join(bin, 'postgres'), '-D', data, '-p', String(port),
    '-k', dir, '-c', 'listen_addresses=127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      asPostgres(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`PostgreSQL did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  asPostgres(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), database]);
  const psql = (sql) => asPostgres(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-d', database,
    '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  return {
    uri: `postgresql://postgres@127.0.0.1:${port}/${database}`,
    port,
    psql,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        // The postmaster itself (runuser may not pass a signal on): SIGINT is its fast shutdown.
        const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        try { process.kill(pid, 'SIGINT'); } catch { /* gone already */ }
        await new Promise((resolve) => { child.once('exit', resolve); setTimeout(resolve, 10000); });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
