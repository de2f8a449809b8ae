import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runGrid } from './coordinator.js';
import { DESIGNS, planRuns, trainConfigFile } from './plan.js';
import { InputError, parseQueueTarget } from './queue-target.js';
import type { RedisTarget } from './redis.js';

// Port 1 on loopback refuses at once: these checks must come before any connection.
const target = parseQueueTarget('redis://127.0.0.1:1') as RedisTarget;
const design = DESIGNS.smoke;
const options = (runsDir: string, resume = false) => ({
  target,
  mode: 'smoke' as const,
  runs: planRuns(design),
  runsDir,
  configOf: (s: ReturnType<typeof planRuns>[number]) => trainConfigFile(s, design),
  code: 'abc',
  resume,
  progress: process.stderr,
});

test('a runs folder of another grid is refused, naming both grids', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'experiment-coordinator-'));
  writeFileSync(join(runsDir, 'grid.json'), JSON.stringify({ queue: 'diffcontract-full-0123456789ab' }));
  const run = runGrid(options(runsDir, true));
  await expect(run).rejects.toThrow(InputError);
  await expect(run).rejects.toThrow(
    /^--out: its runs belong to grid diffcontract-full-0123456789ab, not to this grid diffcontract-smoke-[0-9a-f]{12}/,
  );
});

test('existing runs without a grid record need --resume, as with the local queue', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'experiment-coordinator-'));
  mkdirSync(join(runsDir, 'sac-s0'));
  await expect(runGrid(options(runsDir))).rejects.toThrow(
    /^--out: run sac-s0 already exists; continue with --resume/,
  );
  // with --resume the folder is accepted and the next problem is the unreachable Redis
  await expect(runGrid(options(runsDir, true))).rejects.toThrow(
    /cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0/,
  );
});
