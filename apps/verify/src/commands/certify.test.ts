import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractHash, shutdownZ3 } from '@diffcontract/contract-checker';
import { isFeasibleExact } from '@diffcontract/env';
import { validateAgainst } from '@diffcontract/specs';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../test-helpers.js';
import { examplePath, reread } from './test-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'diffcontract-verify-certify-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await shutdownZ3();
});
// one z3 session for the whole file (the CLI otherwise stops z3 after each command)
const env = { DIFFCONTRACT_KEEP_Z3: '1' };

/** The hand-built feasible K = 2 contract with type 0's period-1 reward lowered by 1e-12. */
const underpaid = {
  version: 1,
  market: {
    theta: ['1/2', 1],
    prior: [0.5, 0.5],
    transition: [
      [0.5, 0.5],
      [0.25, 0.75],
    ],
    a: 1,
    beta: 10,
    delta: 0.5,
    qMax: 10,
    esCount: 10,
  },
  contract: {
    period1: [
      { q: 1, reward: '1.999999999999' },
      { q: 2, reward: 5 },
    ],
    period2: [
      [
        { q: 1, reward: 2 },
        { q: 2, reward: 5 },
      ],
      [
        { q: 1, reward: 2 },
        { q: 2, reward: 5 },
      ],
    ],
  },
};

type Cert = { verdict: string; contractSha256: string; families: Record<string, { status: string }> };

function expectCertified(text: string) {
  const file = reread(text);
  const cert = file.certificate as Cert;
  expect(validateAgainst('certificate', cert)).toEqual([]);
  expect(cert.verdict).toBe('certified');
  expect(Object.values(cert.families).map((f) => f.status)).toEqual(['proved', 'proved', 'proved', 'proved']);
  // the certificate is about the contract printed with it, not the input
  expect(cert.contractSha256).toBe(contractHash(file.market, file.contract!));
  expect(isFeasibleExact(file.market, file.contract!)).toBe(true);
  return file;
}

describe('certify', () => {
  it('certifies the contract as given: an underpaying one is violated, its counterexample embedded', async () => {
    writeFileSync(join(dir, 'underpaid.json'), JSON.stringify(underpaid));
    const result = await run(['certify', 'underpaid.json'], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('certify: underpaid.json: the contract is violated, not certified\n');
    const file = reread(result.stdout);
    const cert = file.certificate as Cert & {
      counterexample?: { family: string; exactGain: string };
    };
    expect(validateAgainst('certificate', cert)).toEqual([]);
    expect(cert.verdict).toBe('violated');
    // type 0 is paid 1e-12 less than its cost 1 / (1/2) = 2 in period 1: IR1 fails by exactly that
    expect(cert.families.IR1!.status).toBe('violated');
    expect(cert.contractSha256).toBe(contractHash(file.market, file.contract!));
    // the contract printed is the input, untouched
    expect(file.contract!.period1[0]!.reward.toString()).toBe('1.999999999999');
    expect(file.meta).toMatchObject({ source: 'certify' });
  });

  it('with --repair, repairs an underpaying contract and embeds a certificate of the repaired one', async () => {
    const result = await run(['certify', '--repair', 'underpaid.json'], { cwd: dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const file = expectCertified(result.stdout);
    expect(file.meta).toMatchObject({ source: 'certify --repair', changedAllocation: false });
  });

  it('certifies the optimum of solve after repair (and as solved), and check agrees', async () => {
    const solved = await run(['solve', examplePath('market-k3.json'), '--out', 'solved.json'], {
      cwd: dir,
      env,
    });
    expect(solved.code).toBe(0);
    const repaired = await run(['repair', 'solved.json', '--out', 'repaired.json'], { cwd: dir, env });
    expect(repaired.code).toBe(0);
    const checked = await run(['check', 'repaired.json'], { cwd: dir, env });
    expect(checked.stdout).toMatch(/^repaired\.json: certified/);
    expect(checked.code).toBe(0);
    const certified = await run(['certify', 'solved.json', '--repair', '--out', 'certified.json'], {
      cwd: dir,
      env,
    });
    expect(certified.code).toBe(0);
    expect(certified.stderr).toBe('wrote certified.json\n');
    expectCertified(readFileSync(join(dir, 'certified.json'), 'utf8'));
    // solve's float-priced optimum is made exactly feasible by solve itself: certified as it is
    const asSolved = await run(['certify', 'solved.json'], { cwd: dir, env });
    expect(asSolved.code).toBe(0);
    expectCertified(asSolved.stdout);
  });

  it('exits 2 on bad input and bad options', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ ...underpaid, market: { ...underpaid.market, a: '1/0' } }),
    );
    const bad = await run(['certify', 'bad.json'], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: bad\.json: market\.a: fraction with a zero denominator/);
    const option = await run(['certify', 'underpaid.json', '--robust', '-1'], { cwd: dir, env });
    expect(option.code).toBe(2);
    expect(option.stdout).toBe('');
  });
});
