/**
 * The checker at the public boundary: a contract file read with readModelFile goes straight into
 * checkContract (its contract is not optional), floats and exact strings are taken like rationals,
 * and the certificate goes straight into formatContractFile.
 */
import { fileURLToPath } from 'node:url';
import {
  type ExactContract,
  formatContractFile,
  InputError,
  parseModelText,
  readModelFile,
  toExactContract,
  toExactMarket,
  toFloatContract,
  toFloatMarket,
} from '@diffcontract/env';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { checkContract, contractHash, shutdownZ3 } from './index.js';

afterAll(shutdownZ3);

const example = fileURLToPath(new URL('../../../examples/contract-k3.json', import.meta.url));

describe('checkContract at the boundary', () => {
  it('certifies the repository example read from its file, and the certificate writes back', async () => {
    const file = readModelFile(example, { expect: 'contract' });
    expectTypeOf(file.contract).toEqualTypeOf<ExactContract>();
    const cert = await checkContract(file.market, file.contract);
    expect(cert.verdict).toBe('certified');
    const text = formatContractFile({ market: file.market, contract: file.contract, certificate: cert });
    const back = parseModelText(text, 'certified.json', { expect: 'contract' });
    expect((back.certificate as { contractSha256: string }).contractSha256).toBe(cert.contractSha256);
    expect(contractHash(back.market, back.contract)).toBe(cert.contractSha256);
  });

  it('takes a float market and contract at their exact binary64 values', async () => {
    const file = readModelFile(example, { expect: 'contract' });
    const market = toFloatMarket(file.market);
    const contract = toFloatContract(file.contract);
    const cert = await checkContract(market, contract);
    expect(cert.contractSha256).toBe(contractHash(toExactMarket(market), toExactContract(contract)));
    // 30/7 as a double is not 30/7, so this is not the file's contract
    expect(cert.contractSha256).not.toBe(contractHash(file.market, file.contract));
  });

  it('takes exact strings as written: "30/7" is the file’s 30/7', async () => {
    const file = readModelFile(example, { expect: 'contract' });
    const asText = (c: ExactContract) => ({
      period1: c.period1.map((it) => ({ q: it.q.toFraction(), reward: it.reward.toFraction() })),
      period2: c.period2.map((row) =>
        row.map((it) => ({ q: it.q.toFraction(), reward: it.reward.toFraction() })),
      ),
    });
    const cert = await checkContract(file.market, asText(file.contract));
    expect(cert.contractSha256).toBe(contractHash(file.market, file.contract));
    expect(cert.verdict).toBe('certified');
  });

  it('refuses a value of the wrong type with its path, before any proof', async () => {
    const file = readModelFile(example, { expect: 'contract' });
    const bad = { ...file.contract, period1: [...file.contract.period1.slice(0, 2), { q: 1, reward: null }] };
    await expect(checkContract(file.market, bad as never)).rejects.toThrow(InputError);
    await expect(checkContract(file.market, bad as never)).rejects.toThrow(
      /^contract\.period1\[2\]\.reward: must be a finite number/,
    );
  });
});
