import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  cloudUtility,
  isFeasibleExact,
  parseModelText,
  toFloatContract,
  toFloatMarket,
} from '@diffcontract/env';
import { solveOptimum } from '@diffcontract/optimum';
import { describe, expect, test } from 'vitest';
import { learnedContract, policyTypes } from './learned.js';
import { randomMarket } from './market-text.js';
import { parseWeights } from './weights.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const policy = parseWeights(
  readFileSync(`${examples}policy-k3/policy.json`, 'utf8'),
  new Uint8Array(readFileSync(`${examples}policy-k3/policy.bin`)).buffer,
);
const market = parseModelText(readFileSync(`${examples}market-k3.json`, 'utf8'), 'market-k3.json').market;

describe('learnedContract (today: whole-contract action, then repair)', () => {
  test('the example policy is for K = 3', () => {
    expect(policyTypes(policy)).toBe(3);
  });

  test('delivers an exactly feasible contract, the best of its candidates, never above the optimum', async () => {
    const result = await learnedContract(market, policy, 6, { seed: 3 });
    expect(result.candidates).toBe(6);
    expect(result.utilities).toHaveLength(6);
    expect(isFeasibleExact(market, result.best.contract)).toBe(true);
    // U recomputed independently from the delivered contract
    const u = cloudUtility(toFloatMarket(market), toFloatContract(result.best.contract));
    expect(result.best.cloudUtility).toBeCloseTo(u, 9);
    expect(result.best.cloudUtility).toBe(Math.max(...result.utilities));
    expect(result.utilities[result.bestIndex]).toBe(result.best.cloudUtility);
    const optimum = await solveOptimum(market);
    expect(result.best.cloudUtility).toBeLessThanOrEqual(optimum.upperBound * (1 + 1e-9));
  });

  test('the same seed gives the same contract; one candidate is the noise-free action', async () => {
    const a = await learnedContract(market, policy, 3, { seed: 11 });
    const b = await learnedContract(market, policy, 3, { seed: 11 });
    expect(b.utilities).toEqual(a.utilities);
    const one = await learnedContract(market, policy, 1, { seed: 99 });
    const other = await learnedContract(market, policy, 1, { seed: 5 });
    expect(one.bestIndex).toBe(0);
    expect(other.utilities).toEqual(one.utilities);
    // candidate 0 of a larger draw is that same noise-free action
    expect(a.utilities[0]).toBe(one.utilities[0]);
  });

  test('refuses a market of another K and a bad candidate count', async () => {
    await expect(learnedContract(randomMarket(1, 2), policy, 2)).rejects.toThrow(
      'policy: trained for K = 3, the market has K = 2',
    );
    await expect(learnedContract(market, policy, 0)).rejects.toThrow(
      'candidates: must be a whole number >= 1 (0)',
    );
  });
});
