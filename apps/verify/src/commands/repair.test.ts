import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFeasibleExact } from '@diffcontract/env';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../test-helpers.js';
import { exampleJson, examplePath, reread, utilityByHand } from './test-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'diffcontract-verify-repair-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Meta = { cloudUtility: number; perES: number; changedAllocation: boolean };

const sameQ = (a: ReturnType<typeof reread>, b: ReturnType<typeof reread>) =>
  [...a.contract!.period1, ...a.contract!.period2.flat()].every((item, k) =>
    item.q.equals([...b.contract!.period1, ...b.contract!.period2.flat()][k]!.q),
  );

async function repairText(text: string, name: string) {
  writeFileSync(join(dir, name), text);
  const result = await run(['repair', name], { cwd: dir });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const file = reread(result.stdout);
  expect(isFeasibleExact(file.market, file.contract!)).toBe(true);
  return file;
}

describe('repair', () => {
  it('keeps the q of a feasible contract and pays no more than it did', async () => {
    const text = readFileSync(examplePath('contract-k3.json'), 'utf8');
    const input = reread(text);
    const output = await repairText(text, 'feasible.json');
    const meta = output.meta as Meta;
    expect(meta.changedAllocation).toBe(false);
    expect(sameQ(input, output)).toBe(true);
    expect(meta.cloudUtility).toBeCloseTo(utilityByHand(output.market, output.contract!), 9);
    expect(meta.perES * 10).toBeCloseTo(meta.cloudUtility, 9);
    expect(meta.cloudUtility).toBeGreaterThanOrEqual(utilityByHand(input.market, input.contract!) - 1e-9);
  });

  it('makes an underpaying contract feasible with the same implementable q', async () => {
    const file = exampleJson('contract-k3.json');
    for (const item of [...file.contract.period1, ...file.contract.period2.flat()]) item.reward = 0;
    const input = reread(JSON.stringify(file));
    expect(isFeasibleExact(input.market, input.contract!)).toBe(false);
    const output = await repairText(JSON.stringify(file), 'unpaid.json');
    expect((output.meta as Meta).changedAllocation).toBe(false);
    expect(sameQ(input, output)).toBe(true);
  });

  it('changes an allocation that no rewards can implement', async () => {
    const file = exampleJson('contract-k3.json');
    // IC2 needs q2[i][j] non-decreasing in j (single crossing); this row decreases.
    file.contract.period2[1] = [
      { q: 2, reward: 6 },
      { q: 1, reward: 3 },
      { q: 0.5, reward: 1 },
    ];
    const output = await repairText(JSON.stringify(file), 'decreasing.json');
    expect((output.meta as Meta).changedAllocation).toBe(true);
  });

  it('repairs the output of solve without losing utility, and both outputs re-read cleanly', async () => {
    const solved = await run(['solve', examplePath('market-k3.json'), '--out', 'solved.json'], { cwd: dir });
    expect(solved.code).toBe(0);
    const optimum = reread(readFileSync(join(dir, 'solved.json'), 'utf8'));
    const repaired = await repairText(readFileSync(join(dir, 'solved.json'), 'utf8'), 'solved-copy.json');
    const u = (optimum.meta as Meta).cloudUtility;
    expect((repaired.meta as Meta).cloudUtility).toBeCloseTo(u, 6);
    expect(Math.abs((repaired.meta as Meta).cloudUtility - u) / u).toBeLessThan(1e-8);
    const again = await run(['repair', 'solved-copy.json', '--out', 'repaired.json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(reread(readFileSync(join(dir, 'repaired.json'), 'utf8')).kind).toBe('contract');
  });
});
