import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'diffcontract-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates a file and replaces it whole, leaving no temporary files', () => {
    const path = join(dir, 'out.json');
    writeFileAtomic(path, '{"a": 1}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"a": 1}\n');
    writeFileAtomic(path, 'é'.repeat(100_000));
    expect(readFileSync(path, 'utf8')).toBe('é'.repeat(100_000));
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('throws and cleans up when the target cannot be written', () => {
    const notADirectory = join(dir, 'plain');
    writeFileSync(notADirectory, 'a file, not a directory');
    expect(() => writeFileAtomic(join(notADirectory, 'x.json'), 'x')).toThrow(/ENOTDIR/);
    // Renaming over a non-empty directory fails after the temporary file was written and synced.
    const occupied = join(dir, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'inside'), 'x');
    expect(() => writeFileAtomic(occupied, 'y')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['occupied', 'out.json', 'plain']);
  });
});
