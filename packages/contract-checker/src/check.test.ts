import { constraintInstances, exactField, ModelError } from '@diffcontract/env';
import { validateAgainst } from '@diffcontract/specs';
import Fraction from 'fraction.js';
import { afterAll, describe, expect, it } from 'vitest';
import { type Certificate, checkContract, contractHash, shutdownZ3 } from './index.js';
import {
  contract,
  doubleDeviationContract,
  doubleDeviationMarket,
  feasibleContract,
  feasibleMarket,
  market,
  x,
  zeroProbabilityContract,
  zeroProbabilityMarket,
} from './test-fixtures.js';

afterAll(shutdownZ3);

function statuses(cert: Certificate): string[] {
  return [cert.families.IR1, cert.families.IR2, cert.families.IC2, cert.families.IIC].map((f) => f.status);
}

function expectSchemaValid(cert: Certificate): void {
  expect(validateAgainst('certificate', JSON.parse(JSON.stringify(cert)))).toEqual([]);
}

describe('hand-built K = 2 contract', () => {
  it('is certified, by either IIC method', async () => {
    const identity = await checkContract(feasibleMarket, feasibleContract());
    expect(identity.verdict).toBe('certified');
    expect(statuses(identity)).toEqual(['proved', 'proved', 'proved', 'proved']);
    expect(identity.iicMethod).toBe('identity-after-IC2');
    expect(identity.families.IIC.method).toBe('identity-after-IC2');
    expect(identity.families.IIC.instances).toBe(2);
    expect(identity.contractSha256).toBe(contractHash(feasibleMarket, feasibleContract()));
    expect(identity.solver).toMatchObject({ name: 'z3', binding: 'z3-solver@5.2.0', timeoutMs: 10_000 });
    expectSchemaValid(identity);

    const all = await checkContract(feasibleMarket, feasibleContract(), { iicMethod: 'all' });
    expect(all.verdict).toBe('certified');
    expect(all.families.IIC.method).toBe('all-deviations');
    // K^2 report pairs times K^K period-2 strategies
    expect(all.families.IIC.instances).toBe(4 * 4);
    expectSchemaValid(all);
  });

  it('lowering the type-0 period-1 reward by 1e-12 violates IR1 by exactly 1e-12', async () => {
    const cert = await checkContract(feasibleMarket, feasibleContract(['1.999999999999', 5]));
    expect(cert.verdict).toBe('violated');
    expect(statuses(cert)).toEqual(['violated', 'proved', 'proved', 'proved']);
    const cx = cert.families.IR1.counterexample!;
    expect(cx).toMatchObject({ family: 'IR1', type: 0, i: 0, worst: true, exact: true });
    expect(cx.gain).toEqual({ fraction: '1/1000000000000', decimal: '0.000000000001', decimalExact: true });
    expect(cx.truthful.fraction).toBe('-1/1000000000000');
    expectSchemaValid(cert);
    // the schema is not vacuous: a violated family must carry its counterexample
    const stripped = JSON.parse(JSON.stringify(cert));
    delete stripped.families.IR1.counterexample;
    expect(validateAgainst('certificate', stripped).map((p) => p.path)).toContain('families.IR1');
  });

  it('lowering the type-1 period-1 reward by 1e-12 breaks the binding IIC by exactly 1e-12', async () => {
    const cert = await checkContract(feasibleMarket, feasibleContract([2, '4.999999999999']));
    expect(statuses(cert)).toEqual(['proved', 'proved', 'proved', 'violated']);
    const cx = cert.families.IIC.counterexample!;
    expect(cx).toMatchObject({ family: 'IIC', type: 1, i: 1, iPrime: 0, worst: true });
    expect(cx.gain.fraction).toBe('1/1000000000000');
    // both sides by hand: truthful 1 - 1e-12 + 1/2 (3/4 * 1), deviation 1 + 3/8
    expect(cx.deviating.fraction).toBe('11/8');
    expect(cx.truthful.decimal).toBe('1.374999999999');
  });
});

describe('off-path and double deviations', () => {
  it('catches an IC2 violation in a zero-probability history', async () => {
    expect(zeroProbabilityMarket.transition[0]![1]!.n).toBe(0n);
    const cert = await checkContract(zeroProbabilityMarket, zeroProbabilityContract);
    expect(statuses(cert)).toEqual(['proved', 'proved', 'violated', 'proved']);
    const cx = cert.families.IC2.counterexample!;
    expect(cx).toMatchObject({ family: 'IC2', type: 1, i: 0, j: 1, jPrime: 0, worst: true });
    expect(cx.gain.fraction).toBe('1');
    // IC2 failed, so IIC could not use sigma = identity and was proved against every strategy
    expect(cert.families.IIC.method).toBe('all-deviations');
    expect(cert.families.IIC.note).toMatch(/IC2 is violated/);
    expectSchemaValid(cert);
  });

  it('sigma = identity alone misses the double deviation', () => {
    const iic = constraintInstances(doubleDeviationMarket, doubleDeviationContract, exactField).filter(
      (c) => c.family === 'IIC',
    );
    expect(iic.length).toBe(2);
    for (const c of iic) expect(c.slack.s > 0n || c.slack.n === 0n).toBe(true);
  });

  it('all-deviations finds the misreport followed by sigma = (1, 1), gain 5', async () => {
    const cert = await checkContract(doubleDeviationMarket, doubleDeviationContract, { iicMethod: 'all' });
    const cx = cert.families.IIC.counterexample!;
    expect(cx).toMatchObject({ family: 'IIC', i: 0, iPrime: 1, sigma: [1, 1], worst: true, exact: true });
    expect(cx.gain.fraction).toBe('5');
    expect(cx.truthful.fraction).toBe('1/4');
    expect(cx.deviating.fraction).toBe('21/4');
    expectSchemaValid(cert);
  });

  it('identity-after-IC2 refuses the reduction when IC2 fails and still catches it', async () => {
    const cert = await checkContract(doubleDeviationMarket, doubleDeviationContract);
    expect(cert.iicMethod).toBe('identity-after-IC2');
    expect(cert.families.IC2.status).toBe('violated');
    expect(cert.families.IC2.counterexample).toMatchObject({ i: 1, j: 0, jPrime: 1 });
    expect(cert.families.IC2.counterexample!.gain.fraction).toBe('8');
    expect(cert.families.IIC.method).toBe('all-deviations');
    expect(cert.families.IIC.counterexample!.gain.fraction).toBe('5');
  });
});

describe('limits and bad input', () => {
  const m3 = market({
    theta: ['3/10', '1/2', '9/10'],
    prior: ['1/3', '1/3', '1/3'],
    transition: [
      ['1/2', '1/4', '1/4'],
      ['1/4', '1/2', '1/4'],
      ['1/4', '1/4', '1/2'],
    ],
    a: '13/10',
    delta: '9/10',
  });
  const menu: [number, string][] = [
    [1, '13/3'],
    [2, '82/5'],
    [3, '292/9'],
  ];
  const c3 = contract(menu, [menu, menu, menu]);

  it('reports unknown with the limit when a query runs out of resources', async () => {
    const cert = await checkContract(m3, c3, { robust: x('1/100'), resourceLimit: 1 });
    expect(cert.verdict).toBe('unknown');
    for (const f of Object.values(cert.families)) {
      expect(f.status).toBe('unknown');
      expect(f.unknown).toEqual({
        reason: expect.stringMatching(/resource limit/),
        timeoutMs: 10_000,
        resourceLimit: 1,
      });
    }
    expectSchemaValid(cert);
  });

  it('rejects a contract whose item counts do not match K', async () => {
    const short = contract(
      [[1, 2]],
      feasibleContract().period2.map((r) =>
        r.map((it) => [it.q.toFraction(), it.reward.toFraction()] as [string, string]),
      ),
    );
    await expect(checkContract(feasibleMarket, short)).rejects.toThrow(ModelError);
    await expect(checkContract(feasibleMarket, short)).rejects.toThrow(/contract\.period1/);
  });

  it('proves K = 1, where IC2 and IIC (sigma = identity) have no instances', async () => {
    const m1 = market({ theta: ['1/2'], prior: [1], transition: [[1]], a: 1, delta: 1 });
    const cert = await checkContract(m1, contract([[1, 2]], [[[1, '2.5']]]));
    expect(cert.verdict).toBe('certified');
    expect([cert.families.IC2.instances, cert.families.IIC.instances]).toEqual([0, 0]);
    const under = await checkContract(m1, contract([[1, 2]], [[[1, '1.5']]]), { iicMethod: 'all' });
    expect(statuses(under)).toEqual(['proved', 'violated', 'proved', 'proved']);
    expect(under.families.IR2.counterexample!.gain.fraction).toBe('1/2');
  });

  it('rejects EPS outside [0, 1)', async () => {
    await expect(
      checkContract(feasibleMarket, feasibleContract(), { robust: new Fraction(1n) }),
    ).rejects.toThrow(/robust must be < 1/);
  });
});
