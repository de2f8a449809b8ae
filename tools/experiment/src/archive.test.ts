import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { packDir, unpackDir } from './archive.js';

test('a directory survives pack and unpack byte for byte, without the excluded paths', () => {
  const root = mkdtempSync(join(tmpdir(), 'experiment-archive-'));
  const src = join(root, 'src');
  mkdirSync(join(src, 'checkpoints', 'step-1'), { recursive: true });
  mkdirSync(join(src, 'contracts'), { recursive: true });
  const bin = Buffer.from(Float32Array.of(Math.PI, -0, Number.MIN_VALUE, 1e30).buffer);
  writeFileSync(join(src, 'policy.bin'), bin);
  writeFileSync(join(src, 'contracts', 'market-000.json'), '{"q":[1,2]}\n');
  writeFileSync(join(src, 'checkpoints', 'step-1', 'agent.bin'), 'x');
  const archive = packDir(src, ['.'], (p) => p.startsWith('checkpoints'));
  const dst = join(root, 'dst');
  mkdirSync(dst);
  writeFileSync(join(dst, 'stale.json'), 'old');
  unpackDir(archive, dst);
  expect(readFileSync(join(dst, 'policy.bin')).equals(bin)).toBe(true);
  expect(readFileSync(join(dst, 'contracts', 'market-000.json'), 'utf8')).toBe('{"q":[1,2]}\n');
  expect(existsSync(join(dst, 'checkpoints'))).toBe(false);
  // the target is replaced as a whole, and no staging folder is left behind
  expect(existsSync(join(dst, 'stale.json'))).toBe(false);
  expect(readdirSync(root).sort()).toEqual(['dst', 'src']);
});

test('a corrupt archive is an error and leaves the target as it was', () => {
  const root = mkdtempSync(join(tmpdir(), 'experiment-archive-'));
  const dst = join(root, 'dst');
  mkdirSync(dst);
  writeFileSync(join(dst, 'kept.json'), 'kept');
  expect(() => unpackDir(Buffer.from('not a tar archive at all'), dst)).toThrow();
  expect(readFileSync(join(dst, 'kept.json'), 'utf8')).toBe('kept');
  expect(readdirSync(root)).toEqual(['dst']);
});
