import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shutdownZ3 } from '@diffcontract/contract-checker';
import { formatContractFile, formatMarketFile, type ModelFile, parseModelText } from '@diffcontract/env';
import { applyMutation, fileMutations } from '@diffcontract/env/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './test-helpers.js';

/**
 * Property-based fuzzing of every command on hostile variants of valid files (issue 13): whatever
 * the input, a command ends with a documented exit code other than 4, a one-line error for bad
 * input, and no uncaught exception. Fixed seed and case count; fast-check prints the seed and the
 * shrunk mutation on failure, and DIFFCONTRACT_FUZZ_SEED / DIFFCONTRACT_FUZZ_RUNS rerun or widen it.
 */
const SEED = Number(process.env.DIFFCONTRACT_FUZZ_SEED ?? 13);
const RUNS = Number(process.env.DIFFCONTRACT_FUZZ_RUNS ?? 40);
/** A hang guard, not a speed target: a valid K = 3 file takes well under a second per command. */
const PER_INPUT_MS = 10_000;

const examples = new URL('../../../examples/', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'diffcontract-verify-fuzz-'));
const env = { DIFFCONTRACT_KEEP_Z3: '1' };
const bases: string[] = [
  readFileSync(new URL('market-k3.json', examples), 'utf8'),
  readFileSync(new URL('contract-k3.json', examples), 'utf8'),
];

beforeAll(async () => {
  // the optimum of the example market: a certified contract, so mutations also reach the proofs
  const solved = await run(['solve', join(new URL(examples).pathname, 'market-k3.json')], { env });
  expect(solved.code).toBe(0);
  bases.push(solved.stdout);
});

afterAll(async () => {
  await shutdownZ3();
  rmSync(dir, { recursive: true, force: true });
});

function formatted(model: ModelFile): string {
  return model.contract === undefined
    ? formatMarketFile(model.market)
    : formatContractFile({ market: model.market, contract: model.contract });
}

describe('fuzz: mutated market and contract files', () => {
  it(`every verify command, ${RUNS} mutations (seed ${SEED})`, async () => {
    let n = 0;
    const codes = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fileMutations(bases.length), async (mutation) => {
        const file = join(dir, `case-${n++}.json`);
        writeFileSync(file, applyMutation(bases, mutation));
        for (const command of ['solve', 'repair', 'check', 'certify']) {
          const started = performance.now();
          const r = await run([command, file], { env });
          codes.add(r.code);
          const where = `${command}: ${r.stderr}`;
          expect(performance.now() - started, where).toBeLessThan(PER_INPUT_MS);
          expect([0, 1, 2, 3], where).toContain(r.code);
          expect(r.stderr, where).not.toMatch(/internal error|\n\s+at /);
          if (r.code === 2) expect(r.stderr, where).toMatch(/^error: [^\n]+\n$/);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // valid files survive some mutations, so the solvers and proofs are fuzzed, not only the reader
    expect(codes).toContain(0);
    expect(codes).toContain(2);
  }, 300_000);

  it('a file that reads stays the same through format and parse round-trips', () => {
    let valid = 0;
    fc.assert(
      fc.property(fileMutations(bases.length), (mutation) => {
        const text = applyMutation(bases, mutation).toString('utf8');
        let model: ModelFile;
        try {
          model = parseModelText(text, 'fuzz.json');
        } catch {
          return; // refused input is the other test's business
        }
        valid++;
        const once = formatted(model);
        const again = parseModelText(once, 'fuzz.json');
        expect(again.market).toEqual(model.market);
        expect(again.contract).toEqual(model.contract);
        expect(formatted(again)).toBe(once);
      }),
      { seed: SEED, numRuns: RUNS * 10 },
    );
    // enough inputs survive the mutations for the property to mean something
    expect(valid).toBeGreaterThan(RUNS / 2);
  });
});
