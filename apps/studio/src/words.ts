/**
 * A counterexample as a mechanism designer reads it: who (which true type), what they do instead
 * (which report), which constraint that breaks, and by exactly how much they gain. Types are
 * numbered 1..K as in model.md; the contract file's 0-based indices are given alongside.
 */
import type { Counterexample } from '@diffcontract/contract-checker';
import { type ExactMarket, formatExact } from '@diffcontract/env';

const CONSTRAINT: Record<Counterexample['family'], string> = {
  IR1: 'IR1 (period-1 participation)',
  IR2: 'IR2 (period-2 participation)',
  IC2: 'IC2 (period-2 truth-telling)',
  IIC: 'IIC (intertemporal truth-telling)',
};

export interface CounterexampleWords {
  who: string;
  does: string;
  constraint: string;
  gain: string;
  sentence: string;
}

export function counterexampleWords(market: ExactMarket, cx: Counterexample): CounterexampleWords {
  const t = (k: number) => `θ${k + 1} = ${formatExact(market.theta[k]!)}`;
  let who: string;
  let does: string;
  switch (cx.family) {
    case 'IR1':
      who = `an ES of period-1 type ${t(cx.i)}`;
      does = `stays out instead of taking its period-1 item (contract.period1[${cx.i}])`;
      break;
    case 'IR2':
      who = `an ES that reported ${t(cx.i)} in period 1 and is of period-2 type ${t(cx.j!)}`;
      does = `stays out instead of taking contract.period2[${cx.i}][${cx.j}]`;
      break;
    case 'IC2':
      who = `an ES that reported ${t(cx.i)} in period 1 and is of period-2 type ${t(cx.j!)}`;
      does = `reports θ${cx.jPrime! + 1} in period 2 (contract.period2[${cx.i}][${cx.jPrime}] instead of [${cx.i}][${cx.j}])`;
      break;
    default: {
      who = `an ES of period-1 type ${t(cx.i)}`;
      const sigma = cx.sigma;
      const then =
        sigma === undefined || sigma.every((v, j) => v === j)
          ? 'then reports its period-2 type truthfully'
          : `then reports ${sigma.map((s, j) => `θ${s + 1} when of type θ${j + 1}`).join(', ')}`;
      does = `reports θ${cx.iPrime! + 1} in period 1 and ${then}`;
    }
  }
  const exactGain = cx.gain.fraction;
  const gain = cx.gain.decimal === exactGain ? exactGain : `${exactGain} (≈ ${cx.gain.decimal})`;
  const constraint = CONSTRAINT[cx.family];
  const sentence = `${capitalise(who)} ${does}, and gains exactly ${gain} in utility: ${constraint} is violated.`;
  return { who, does, constraint, gain, sentence };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
