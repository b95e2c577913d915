// Starts the real psc-server on a free loopback port with its own data folder,
// for integration and browser tests. Nothing is mocked: this is the binary the
// README's run command starts.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(here, '..', '..');
export const buildDir = process.env.PSC_BUILD_DIR || path.join(projectRoot, 'build');
export const serverBinary = path.join(buildDir, 'server', 'psc-server');
export const webRoot = path.join(buildDir, 'www');

export function makeDataDir(prefix = 'psc-test-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

// The account every test device signs in as unless it asks for another
// (a coordinator: may read and write everything).
export const TEST_ACCOUNT = 'tester';
export const TEST_PASSWORD = 'tester-password-1';

// Runs `psc-server admin <command> --data <dataDir> ...args`; returns stdout.
export function admin(dataDir, command, ...args) {
  return execFileSync(serverBinary, ['admin', command, '--data', dataDir, ...args], { encoding: 'utf8' });
}

// Device tokens issued by the admin CLI, by WebSocket URL, so protocol
// clients sign in without every test spelling it out (see sync_client.mjs).
export const tokenIssuers = new Map();

// Starts psc-server; resolves once it prints its listening line.
// options: { dataDir, args: [...extra flags], port (default 0 = pick a free one),
//           env: {PSC_...: value} added to the environment }
// The data folder gets the account TEST_ACCOUNT; server.token(device, account)
// issues a device token, server.createAccount(...) makes more accounts.
export async function startServer(options = {}) {
  const dataDir = options.dataDir ?? makeDataDir();
  const args = ['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--data', dataDir,
                '--web-root', webRoot, ...(options.args ?? [])];
  const child = spawn(serverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(options.env ?? {}) } });
  let output = '';
  let tls = false;
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`psc-server did not start:\n${output}`)), 15000);
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) { clearTimeout(timer); tls = /listening on https/.test(output); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`psc-server exited (${code}):\n${output}`)); });
  });
  child.stdout.on('data', (chunk) => { output += chunk; });
  // A server on PostgreSQL keeps its accounts there: the admin CLI is told too.
  const storeAt = (options.args ?? []).indexOf('--store');
  const store = storeAt >= 0 ? ['--store', options.args[storeAt + 1]] : [];
  const adminHere = (command, ...rest) => admin(dataDir, command, ...store, ...rest);
  const createAccount = (username, role, { neighborhood = '', department = '', password = TEST_PASSWORD } = {}) =>
    adminHere('create-account', '--username', username, '--role', role, '--neighborhood', neighborhood,
              '--department', department, '--password', password);
  if (!adminHere('list-accounts').split('\n').some((line) => line.startsWith(`${TEST_ACCOUNT}\t`))) {
    try {
      createAccount(TEST_ACCOUNT, 'coordinator');
    } catch (error) {
      // Servers sharing one database, started together: another one made it.
      if (!/already exists/.test(String(error.stderr))) throw error;
    }
  }
  const token = (device, account = TEST_ACCOUNT) =>
    adminHere('issue-token', '--username', account, '--device', device).trim().split(' ')[1];
  const server = {
    child, port, dataDir, token, createAccount,
    admin: adminHere,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    wsUrl: `${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/sync`,
    output: () => output,
    // Graceful stop (SIGTERM); resolves with the exit code.
    stop: (signal = 'SIGTERM') => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    }),
    kill: () => server.stop('SIGKILL'),
    removeData: () => rmSync(dataDir, { recursive: true, force: true }),
  };
  tokenIssuers.set(server.wsUrl, token);
  return server;
}
