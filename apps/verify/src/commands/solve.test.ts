import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFeasibleExact } from '@diffcontract/env';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../test-helpers.js';
import { exampleJson, examplePath, reread, utilityByHand } from './test-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'diffcontract-verify-solve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeMarket = (name: string, market: object) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ version: 1, market }));
  return path;
};

describe('solve', () => {
  it('prints an exactly feasible optimal contract file for the example market', async () => {
    const result = await run(['solve', examplePath('market-k3.json')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const file = reread(result.stdout);
    expect(file.kind).toBe('contract');
    // the market is written back exactly as it was read
    const input = reread(readFileSync(examplePath('market-k3.json'), 'utf8'));
    expect(file.market.theta.map((x) => x.toFraction())).toEqual(
      input.market.theta.map((x) => x.toFraction()),
    );
    expect(isFeasibleExact(file.market, file.contract!)).toBe(true);
    const meta = file.meta as Record<string, number>;
    expect(Object.keys(meta)).toEqual(['cloudUtility', 'perES', 'upperBound', 'gap']);
    expect(meta.cloudUtility).toBeCloseTo(utilityByHand(file.market, file.contract!), 9);
    expect(meta.perES * 10).toBeCloseTo(meta.cloudUtility, 9);
    expect(meta.upperBound).toBeGreaterThanOrEqual(meta.cloudUtility);
    expect(meta.gap).toBeLessThanOrEqual(1e-9);
    // a feasible contract cannot beat the optimum
    const feasible = reread(readFileSync(examplePath('contract-k3.json'), 'utf8'));
    expect(utilityByHand(feasible.market, feasible.contract!)).toBeLessThan(meta.cloudUtility);
  });

  it('matches the static closed form when delta = 0 (model.md section 5)', async () => {
    const market = { ...exampleJson('market-k3.json').market, delta: 0 };
    const result = await run(['solve', writeMarket('static.json', market)]);
    expect(result.code).toBe(0);
    const q = reread(result.stdout).contract!.period1.map((item) => item.q.valueOf());
    const { theta, prior, a, beta } = market as { theta: number[]; prior: number[]; a: number; beta: number };
    const expected = theta.map((t, k) => {
      const above = prior.slice(k + 1).reduce((s, p) => s + p, 0);
      const psi = k === theta.length - 1 ? 1 / t : 1 / t + ((1 / t - 1 / theta[k + 1]!) * above) / prior[k]!;
      return (-1 + Math.sqrt(1 + (2 * beta) / (a * psi))) / 2;
    });
    q.forEach((value, k) => {
      expect(Math.abs(value - expected[k]!), `q1[${k}]`).toBeLessThan(1e-6);
    });
  });

  it('uses the market of a contract file, ignoring its contract', async () => {
    const fromMarket = await run(['solve', examplePath('market-k3.json')]);
    const fromContract = await run(['solve', examplePath('contract-k3.json')]);
    expect(fromContract.code).toBe(0);
    expect(fromContract.stdout).toBe(fromMarket.stdout);
  });

  it('scales U with N and nothing else', async () => {
    const market = exampleJson('market-k3.json').market;
    const ten = reread((await run(['solve', writeMarket('n10.json', market)])).stdout);
    const twenty = reread((await run(['solve', writeMarket('n20.json', { ...market, esCount: 20 })])).stdout);
    const u10 = (ten.meta as { cloudUtility: number }).cloudUtility;
    const u20 = (twenty.meta as { cloudUtility: number }).cloudUtility;
    expect(u20 / u10).toBeCloseTo(2, 9);
    ten.contract!.period1.forEach((item, i) => {
      expect(item.q.valueOf()).toBeCloseTo(twenty.contract!.period1[i]!.q.valueOf(), 7);
    });
  });

  it('writes --out atomically instead of printing', async () => {
    const printed = await run(['solve', examplePath('market-k3.json')]);
    const written = await run(['solve', examplePath('market-k3.json'), '--out', 'optimum.json'], {
      cwd: dir,
    });
    expect(written).toEqual({ code: 0, stdout: '', stderr: 'wrote optimum.json\n' });
    expect(readFileSync(join(dir, 'optimum.json'), 'utf8')).toBe(printed.stdout);
  });
});
