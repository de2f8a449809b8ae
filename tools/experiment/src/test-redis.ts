/**
 * A real redis-server for the tests: on a free loopback port, in a temporary folder, nothing saved.
 * CI installs the Debian package (.ci/run); elsewhere `apt-get install redis-server`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function waitReady(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  return new Promise((resolveReady) => {
    let out = '';
    const timer = setTimeout(() => resolveReady(false), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolveReady(true);
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolveReady(false);
    });
  });
}

export const REDIS_SKIP_MESSAGE =
  'experiment queue tests skipped: no redis-server found (apt-get install -y redis-server)';

/**
 * Whether redis-server is installed. Missing locally, the queue tests skip and say why (so the
 * README's test command works on a fresh machine); in CI (CI set) it is a failure, since .ci/run
 * installs it.
 */
export function redisServerFound(): boolean {
  if (!spawnSync('redis-server', ['--version']).error) return true;
  if (process.env.CI) throw new Error(`${REDIS_SKIP_MESSAGE}; CI must install it (.ci/run)`);
  console.warn(REDIS_SKIP_MESSAGE);
  return false;
}

export async function startRedis(): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error)
    throw new Error('redis-server not found: install it (apt-get install -y redis-server); .ci/run does');
  const dir = mkdtempSync(join(tmpdir(), 'experiment-redis-'));
  // Another process may take the port between the probe and redis-server's bind: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (await waitReady(child, 10_000)) {
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: () =>
          new Promise<void>((resolveStop) => {
            child.once('exit', () => {
              rmSync(dir, { recursive: true, force: true });
              resolveStop();
            });
            child.kill('SIGTERM');
          }),
      };
    }
    child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('redis-server did not start on a free loopback port in 5 tries');
}
