import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_JSON_DEPTH } from '@diffcontract/env';
import { applyMutation, fileMutations } from '@diffcontract/env/testing';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile, UsageError } from './config-load.js';
import { main } from './main.js';

/**
 * Hostile files for the training app (issue 13): the config loader's depth and length limits, and
 * `eval --markets` on mutated market files, which must end in 0 or 2 with one line, never in the
 * internal-error exit 1. Seeded like apps/verify's fuzz suite (DIFFCONTRACT_FUZZ_SEED / _RUNS).
 */
const SEED = Number(process.env.DIFFCONTRACT_FUZZ_SEED ?? 13);
const RUNS = Number(process.env.DIFFCONTRACT_FUZZ_RUNS ?? 40) / 2;

const root = mkdtempSync(join(tmpdir(), 'train-hostile-'));
const examples = join(import.meta.dirname, '..', '..', '..', 'examples');

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    cwd: root,
  };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

function write(name: string, content: string | Buffer): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

describe('config files', () => {
  const usage = (path: string) => {
    try {
      readConfigFile(path);
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('100,000 nested brackets: the depth limit, not a stack overflow', () => {
    const path = write('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(usage(path)).toBe(
      `${path}: not valid JSON (nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects)`,
    );
  });

  it('a megabyte-long string: the length limit', () => {
    const path = write('long.json', JSON.stringify({ algo: 'x'.repeat(500_000) }));
    expect(usage(path)).toBe(`${path}: not valid JSON (string longer than 4096 characters)`);
  });

  it('a file over the size limit is refused before it is read', () => {
    const path = write('big.json', ' '.repeat((1 << 20) + 1));
    expect(usage(path)).toMatch(/config file larger than 1048576 bytes$/);
  });
});

describe('eval --markets on hostile market files', () => {
  beforeAll(async () => {
    const config = write(
      'tiny.json',
      JSON.stringify({
        backend: 'wasm',
        actor: { hidden: [8, 8], denoisingSteps: 2 },
        sac: { criticHidden: [8, 8], batchSize: 4, bufferCapacity: 16 },
        budget: { steps: 3, marketsPerStep: 2, warmupSteps: 2, updatesPerStep: 1 },
        evaluation: { markets: 1, certify: false },
      }),
    );
    const trained = await run(['--config', config, '--out', 'run', '--seed', '1']);
    expect(trained.code, trained.err).toBe(0);
  }, 120_000);

  it('a market beyond the float solver: exit 2 naming the field, the value and the range', async () => {
    const market = JSON.parse(readFileSync(join(examples, 'market-k3.json'), 'utf8'));
    market.market.beta = 1e300;
    const r = await run([
      'eval',
      'run',
      '--no-certify',
      '--markets',
      write('huge.json', JSON.stringify(market)),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /huge\.json: market\.beta: outside \[1, 10000\], the range the float solver supports \(1e\+300\)\n$/,
    );
  });

  it(`${RUNS} mutated files (seed ${SEED}): exit 0 or 2, one line, no internal error`, async () => {
    const bases = ['market-k3.json', 'contract-k3.json'].map((f) => readFileSync(join(examples, f), 'utf8'));
    let n = 0;
    const codes = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fileMutations(bases.length), async (mutation) => {
        const file = write(`case-${n++}.json`, applyMutation(bases, mutation));
        const r = await run(['eval', 'run', '--no-certify', '--markets', file, '--out', `out-${n}`]);
        codes.add(r.code);
        expect([0, 2], r.err).toContain(r.code);
        if (r.code === 2) expect(r.err, r.err).toMatch(/^diffcontract-train: [^\n]+\n$/);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // some mutations keep the file valid, so evaluation itself is fuzzed too
    expect([...codes].sort()).toEqual([0, 2]);
  }, 300_000);
});
