import { ModelError } from '@diffcontract/env';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type Certificate, checkContract, robustnessMargin, shutdownZ3 } from './index.js';
import { caseArb } from './test-arbitraries.js';
import { feasibleContract, feasibleMarket, x } from './test-fixtures.js';

afterAll(shutdownZ3);

/**
 * What must not depend on scheduling: the verdict, each family's status and the worst gain. Which of
 * several equally bad deviations z3 names depends on what the shared context saw before, in any order.
 */
function outcome(cert: Certificate) {
  return {
    verdict: cert.verdict,
    sha: cert.contractSha256,
    families: Object.values(cert.families).map((f) => ({
      status: f.status,
      gain: f.counterexample?.gain.fraction,
      worst: f.counterexample?.worst,
    })),
  };
}

// DIFFCONTRACT_CONCURRENCY_RUNS=20 repeats the overlapping round (the acceptance); one keeps the suite fast.
const RUNS = Number(process.env.DIFFCONTRACT_CONCURRENCY_RUNS ?? 1);

describe('overlapping checks share one z3 context safely', () => {
  // every 25th check robust (nonlinear, longer solver calls): without the queue those are what
  // corrupted z3's heap within a few overlapping calls
  const cases = fc
    .sample(caseArb, { numRuns: 50, seed: 1313 })
    .map((c, i) => ({ ...c, options: { iicMethod: c.iicMethod, robust: i % 25 === 0 ? x('1/10') : null } }));

  it(
    `50 overlapping checks of different markets give the sequential results, ${RUNS} runs`,
    async () => {
      const sequential = [];
      for (const c of cases) {
        sequential.push(outcome(await checkContract(c.market, c.contract, c.options)));
      }
      // both verdicts occur, so a scheduler that mixed up results would show
      expect(new Set(sequential.map((s) => s.verdict))).toEqual(new Set(['certified', 'violated']));
      for (let run = 0; run < RUNS; run++) {
        const overlapping = await Promise.all(
          cases.map((c) => checkContract(c.market, c.contract, c.options)),
        );
        expect(overlapping.map(outcome)).toEqual(sequential);
      }
    },
    60_000 + RUNS * 60_000,
  );

  it('a margin bisection overlapping plain checks and a shutdown gives the sequential answers', async () => {
    const margin = () => robustnessMargin(feasibleMarket, feasibleContract(), { tolerance: x('1/2') });
    const alone = await margin();
    const [concurrent, cert] = await Promise.all([
      margin(),
      checkContract(feasibleMarket, feasibleContract()),
      shutdownZ3(),
      checkContract(feasibleMarket, feasibleContract([2, 6])),
    ]);
    expect([concurrent.lo, concurrent.hi]).toEqual([alone.lo, alone.hi]);
    expect(concurrent.steps.map((s) => s.verdict)).toEqual(alone.steps.map((s) => s.verdict));
    expect(cert.verdict).toBe('certified');
  }, 60_000);
});

describe('wrong-typed arguments from plain JavaScript', () => {
  const market = feasibleMarket as unknown as Record<string, unknown>;
  const contract = feasibleContract() as unknown as Record<string, unknown>;
  const check = (m: unknown, c: unknown, o?: unknown) =>
    checkContract(m as typeof feasibleMarket, c as ReturnType<typeof feasibleContract>, o as object);

  it.each([
    // Numbers may be JS numbers, rationals or exact strings (env's exactMarketOf, the boundary
    // convention); anything else, and wrong shapes, are ModelErrors naming the field.
    ['null market', null, contract, /^market: must be an object \(null\)/],
    ['string market', 'market', contract, /^market: must be an object/],
    ['array market', [], contract, /^market: must be an object/],
    ['missing theta', { ...market, theta: undefined }, contract, /^market\.theta: must be an array/],
    ['beta not a number', { ...market, beta: 'ten' }, contract, /^market\.beta: must be a finite number/],
    ['null qMax', { ...market, qMax: null }, contract, /^market\.qMax: must be a finite number/],
    [
      'theta of booleans',
      { ...market, theta: [true, false] },
      contract,
      /^market\.theta\[0\]: must be a finite/,
    ],
    ['short prior', { ...market, prior: [x(1)] }, contract, /^market\.prior: must have 2 entries/],
    ['null contract', market, null, /^contract: must be an object \(null\)/],
    ['missing period2', market, { period1: contract.period1 }, /^contract\.period2: must be an array/],
    [
      'reward not a number',
      market,
      { ...contract, period1: [{ q: x(1), reward: 'three' }, (contract.period1 as unknown[])[1]] },
      /^contract\.period1\[0\]\.reward: must be a finite number/,
    ],
    [
      'item null',
      market,
      {
        ...contract,
        period2: [
          [null, null],
          [null, null],
        ],
      },
      /^contract\.period2\[0\]\[0\]: must be an object/,
    ],
  ])('%s: ModelError naming the field', async (_name, m, c, message) => {
    const error = await check(m, c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ['a string', 'fast', TypeError, /^options must be an object \(string\)/],
    ['null', null, TypeError, /^options must be an object \(null\)/],
    ['timeoutMs as a string', { timeoutMs: '100' }, RangeError, /^timeoutMs must be a positive integer/],
    ['robust as a string', { robust: '0.1' }, RangeError, /^robust must be null or an exact number/],
    ['robust as a float', { robust: 0.1 }, RangeError, /^robust must be null or an exact number/],
    ['maxGainRounds negative', { maxGainRounds: -1 }, RangeError, /^maxGainRounds must be an integer/],
    ['iicMethod unknown', { iicMethod: 'some' }, RangeError, /^iicMethod must be "identity" or "all"/],
  ])('options %s: %o', async (_name, options, kind, message) => {
    const error = await check(market, contract, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(message);
  });

  it('margin options of the wrong type: RangeError', async () => {
    await expect(
      robustnessMargin(feasibleMarket, feasibleContract(), { tolerance: 0.01 as never }),
    ).rejects.toThrow(/^tolerance must be an exact number/);
  });
});
