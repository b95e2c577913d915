// Starts the real psc-server on a free loopback port with its own data folder,
// for integration and browser tests. Nothing is mocked: this is the binary the
// README's run command starts.
import { spawn } from 'node:child_process';
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

// Starts psc-server; resolves once it prints its listening line.
// options: { dataDir, args: [...extra flags], port (default 0 = pick a free one) }
export async function startServer(options = {}) {
  const dataDir = options.dataDir ?? makeDataDir();
  const args = ['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--data', dataDir,
                '--web-root', webRoot, ...(options.args ?? [])];
  const child = spawn(serverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`psc-server did not start:\n${output}`)), 15000);
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`psc-server exited (${code}):\n${output}`)); });
  });
  child.stdout.on('data', (chunk) => { output += chunk; });
  const server = {
    child, port, dataDir,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
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
  return server;
}
