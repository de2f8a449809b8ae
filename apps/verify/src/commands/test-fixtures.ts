import { readFileSync } from 'node:fs';
import { type ExactContract, type ExactMarket, type ModelFile, parseModelText } from '@diffcontract/env';

export const examplesDir = new URL('../../../../examples/', import.meta.url);
export const examplePath = (name: string) => new URL(name, examplesDir).pathname;
export const exampleJson = (name: string) => JSON.parse(readFileSync(new URL(name, examplesDir), 'utf8'));

/** Re-reads CLI output through the same strict reader users' files go through. */
export const reread = (text: string): ModelFile => parseModelText(text, 'output.json');

/**
 * U of model.md section 5, written out independently of @diffcontract/env:
 * N sum_i pi_i [ v(q1_i) - R1_i + delta sum_j P_ij ( v(q2_ij) - R2_ij ) ], v(q) = beta ln(1 + q).
 */
export function utilityByHand(market: ExactMarket, contract: ExactContract): number {
  const n = (x: { valueOf(): number }) => x.valueOf();
  const beta = n(market.beta);
  const value = (item: { q: { valueOf(): number }; reward: { valueOf(): number } }) =>
    beta * Math.log1p(n(item.q)) - n(item.reward);
  let total = 0;
  market.prior.forEach((pi, i) => {
    let later = 0;
    market.transition[i]!.forEach((p, j) => {
      later += n(p) * value(contract.period2[i]![j]!);
    });
    total += n(pi) * (value(contract.period1[i]!) + n(market.delta) * later);
  });
  return market.esCount * total;
}
