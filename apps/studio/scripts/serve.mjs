#!/usr/bin/env node
/**
 * `pnpm -s studio [--port P]`: builds the studio when its build is missing or older than its
 * sources, then serves it on 127.0.0.1, cross-origin isolated (z3's threads need it).
 * Exit codes: 0 stopped, 2 invalid input (bad flag), 4 internal error (build failed, port taken).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ISOLATION_HEADERS } from './headers.mjs';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(appDir, '../..');
export const DIST = join(appDir, 'dist');
export const DEFAULT_PORT = 5178;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    // build outputs, tool logs (.turbo) and tests do not go into the site
    const skip = entry === 'node_modules' || entry === 'dist' || entry.startsWith('.');
    if (skip || entry.endsWith('.test.ts') || entry.startsWith('test-')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** The sources a build depends on: the app, the shared packages' sources, the schemas, the example policy. */
function sourcesMtime() {
  const roots = [
    join(appDir, 'src'),
    join(appDir, 'index.html'),
    join(appDir, 'vite.config.ts'),
    join(repoDir, 'specs'),
    join(repoDir, 'examples'),
    ...readdirSync(join(repoDir, 'packages')).map((p) => join(repoDir, 'packages', p, 'src')),
  ];
  return Math.max(...roots.map(newestMtime));
}

export function buildIsCurrent() {
  const index = join(DIST, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= sourcesMtime();
}

/** Runs `vite build` when the build is missing or stale; returns false when the build failed. */
export function ensureBuilt(log = (line) => process.stderr.write(`${line}\n`)) {
  if (buildIsCurrent()) return true;
  log('studio: building (vite build)...');
  const vite = join(appDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: appDir,
    stdio: 'inherit',
  });
  return result.status === 0;
}

/**
 * File contents kept in memory (the build is about 40 MB, z3's wasm 35 of it), read again when a
 * file's size or mtime changes. One write of the whole body reaches the browser about 0.17 s sooner
 * for z3's wasm than a file stream's 64 kB chunks (measured on the 2-core machine, fresh chromium,
 * fetch + compile 1.0 s against 1.2 s), and that fetch is on the way to the first certificate.
 */
const bodies = new Map();
function fileBody(path, stat) {
  const known = bodies.get(path);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.data;
  const data = readFileSync(path);
  bodies.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, data });
  return data;
}

/** Reads the large files of the build ahead of the first request (z3's and HiGHS's wasm). */
function warm(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) warm(path);
    else if (entry.isFile()) {
      const stat = statSync(path);
      if (stat.size >= 1 << 20) fileBody(path, stat);
    }
  }
}

/** Serves `root` with the isolation headers; resolves with the server once it listens. */
export function serve({ root = DIST, port = DEFAULT_PORT, host = '127.0.0.1' } = {}) {
  if (existsSync(root)) warm(root);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let decoded;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, ISOLATION_HEADERS).end('bad path');
      return;
    }
    let path = normalize(join(root, decoded));
    if (path !== root && !path.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path)) {
      res.writeHead(404, ISOLATION_HEADERS).end('not found');
      return;
    }
    const stat = statSync(path);
    // Revalidated on every load (no-cache) but cacheable: the browser then keeps z3's compiled
    // 35 MB wasm between visits instead of compiling it again.
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ...ISOLATION_HEADERS, ETag: etag, 'Cache-Control': 'no-cache' }).end();
      return;
    }
    res.writeHead(200, {
      ...ISOLATION_HEADERS,
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      'Content-Length': stat.size,
      'Cache-Control': 'no-cache',
      ETag: etag,
    });
    if (req.method === 'HEAD') res.end();
    else res.end(fileBody(path, stat));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string', short: 'p' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    process.stderr.write(`studio: ${error.message}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write('usage: pnpm -s studio [--port P]   (default port 5178; 0 picks a free one)\n');
    return;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!/^\d{1,5}$/.test(values.port ?? '0') || port > 65535) {
    process.stderr.write(
      `studio: --port: must be a whole number from 0 to 65535 (${JSON.stringify(values.port)})\n`,
    );
    process.exit(2);
  }
  if (!ensureBuilt()) {
    process.stderr.write('studio: the build failed (see above)\n');
    process.exit(4);
  }
  let server;
  try {
    server = await serve({ port });
  } catch (error) {
    process.stderr.write(`studio: cannot listen on 127.0.0.1:${port} (${error.code ?? error.message})\n`);
    process.exit(4);
  }
  process.stdout.write(`diffcontract studio: http://127.0.0.1:${server.address().port}/\n`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
