import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pointLatest } from './rundir.js';

describe('runs/latest', () => {
  it('points at the newest run and moves when a newer one finishes', () => {
    const runs = mkdtempSync(join(tmpdir(), 'latest-'));
    for (const name of ['2026-01-01-dmsac-0', '2026-01-02-dmsac-0']) {
      mkdirSync(join(runs, name));
      writeFileSync(join(runs, name, 'eval.json'), JSON.stringify({ name }));
    }
    const link = pointLatest(join(runs, '2026-01-01-dmsac-0'));
    expect(link).toBe(join(runs, 'latest'));
    expect(JSON.parse(readFileSync(join(link, 'eval.json'), 'utf8')).name).toBe('2026-01-01-dmsac-0');
    pointLatest(join(runs, '2026-01-02-dmsac-0'));
    // relative, so the runs folder can be moved or copied whole
    expect(readlinkSync(link)).toBe('2026-01-02-dmsac-0');
    expect(JSON.parse(readFileSync(join(link, 'eval.json'), 'utf8')).name).toBe('2026-01-02-dmsac-0');
  });
});
