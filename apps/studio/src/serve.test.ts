import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serve } from '../scripts/serve.mjs';

const script = fileURLToPath(new URL('../scripts/serve.mjs', import.meta.url));

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      // a raw path, so that "/../" reaches the server as written
      const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

function getBytes(port: number, path: string) {
  return new Promise<Buffer>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    })
      .on('error', reject)
      .end();
  });
}

describe('the studio server', () => {
  let server: Server;
  let port: number;
  const root = mkdtempSync(join(tmpdir(), 'studio-serve-'));
  const site = join(root, 'site');

  beforeAll(async () => {
    mkdirSync(join(site, 'z3'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<p>studio</p>');
    writeFileSync(join(site, 'z3', 'x.wasm'), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(join(root, 'secret.txt'), 'outside');
    server = await serve({ root: site, port: 0 });
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((done) => server.close(done));
    rmSync(root, { recursive: true, force: true });
  });

  test('every response is cross-origin isolated; wasm has its type; a repeat is answered 304', async () => {
    const page = await get(port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe('<p>studio</p>');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    const wasm = await get(port, '/z3/x.wasm');
    expect(wasm.headers['content-type']).toBe('application/wasm');
    const again = await get(port, '/z3/x.wasm', { 'If-None-Match': String(wasm.headers.etag) });
    expect(again.status).toBe(304);
    const missing = await get(port, '/nothing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  test('a large file is served whole from memory, and again from disk once it changes', async () => {
    // 2 MiB: above the size the server reads ahead at start; the bytes are checked end to end
    const big = new Uint8Array(2 << 20).map((_, i) => (i * 7) % 251);
    writeFileSync(join(site, 'big.bin'), big);
    const first = await getBytes(port, '/big.bin');
    expect(first.length).toBe(big.length);
    expect(Buffer.compare(first, Buffer.from(big))).toBe(0);
    writeFileSync(join(site, 'big.bin'), 'changed');
    expect((await getBytes(port, '/big.bin')).toString()).toBe('changed');
  });

  test('nothing outside the site is served', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await get(port, path);
      expect(res.body).not.toContain('outside');
      expect([403, 404]).toContain(res.status);
    }
    expect((await get(port, '/%E0%A4%A')).status).toBe(400);
    expect((await get(port, '/')).status).toBe(200);
  });

  test('a bad flag is one line and exit code 2', () => {
    const bad = spawnSync(process.execPath, [script, '--port', '99999'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('studio: --port: must be a whole number from 0 to 65535 ("99999")\n');
    const unknown = spawnSync(process.execPath, [script, '--colour'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });
});
