/**
 * Certification time per contract: `pnpm --filter @diffcontract/contract-checker bench`
 * (after `pnpm build`). Optional arguments: `--k3 N --k5 N --robust N` (contracts per row).
 *
 * Contracts are composition contracts (binding static menus, see construct.ts) on markets from the
 * default sampler, with every number the exact value of its binary64 as training writes them; the
 * "violated" rows lower the top period-1 reward by 1e-9 (exactly), so IIC fails.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import {
  createMarketSampler,
  type ExactContract,
  type ExactMarket,
  exactFromNumber,
  toExactMarket,
} from '@diffcontract/env';
import { checkContract } from './check.js';
import type { CheckOptions } from './config.js';
import { bindingMenu, compositionContract, slackMenu } from './construct.js';
import { shutdownZ3, z3Session } from './z3.js';

const { values } = parseArgs({
  options: {
    k3: { type: 'string', default: '100' },
    k5: { type: 'string', default: '20' },
    robust: { type: 'string', default: '20' },
  },
});

interface Case {
  market: ExactMarket;
  contract: ExactContract;
}

function cases(K: number, n: number, seed: number, menu: typeof bindingMenu = bindingMenu): Case[] {
  const sampler = createMarketSampler(seed, { K });
  let state = seed >>> 0;
  // a small LCG is enough for effort levels; the markets use the env sampler
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const out: Case[] = [];
  for (let c = 0; c < n; c++) {
    const market = toExactMarket(sampler.next());
    const draw = () =>
      Array.from({ length: K }, () => 5 * uniform())
        .sort((x, y) => x - y)
        .map(exactFromNumber);
    out.push({ market, contract: compositionContract(market, draw(), draw(), menu) });
  }
  return out;
}

function lowered(contract: ExactContract): ExactContract {
  const period1 = contract.period1.map((it) => ({ ...it }));
  const top = period1[period1.length - 1]!;
  top.reward = top.reward.sub(exactFromNumber(1).div(1_000_000_000));
  return { ...contract, period1 };
}

function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function row(
  label: string,
  list: Case[],
  options: Partial<CheckOptions>,
  mutate = false,
): Promise<void> {
  const times: number[] = [];
  const verdicts = new Map<string, number>();
  for (const { market, contract } of list) {
    const started = performance.now();
    const cert = await checkContract(market, mutate ? lowered(contract) : contract, options);
    times.push(performance.now() - started);
    verdicts.set(cert.verdict, (verdicts.get(cert.verdict) ?? 0) + 1);
  }
  times.sort((x, y) => x - y);
  const counts = [...verdicts].map(([v, n]) => `${v} ${n}`).join(', ');
  console.log(
    `${label.padEnd(44)} n=${String(list.length).padStart(3)}  median ${quantile(times, 0.5).toFixed(1).padStart(7)} ms  p90 ${quantile(times, 0.9).toFixed(1).padStart(7)} ms  (${counts})`,
  );
}

const session = await z3Session();
console.log(
  `${session.info.binding} (engine ${session.info.version}), node ${process.version}, ${os.cpus().length} cpu(s): ${os.cpus()[0]?.model ?? '?'}`,
);
const k3 = cases(3, Number(values.k3), 3);
const k5 = cases(5, Number(values.k5), 5);
const robust = cases(3, Number(values.robust), 33, slackMenu);
// warm-up: the first check pays for z3's worker threads
await checkContract(k3[0]!.market, k3[0]!.contract);

await row('K=3 certified (identity-after-IC2)', k3, {});
await row('K=3 certified (all-deviations)', k3, { iicMethod: 'all' });
await row('K=3 violated, worst counterexample', k3, {}, true);
await row('K=5 certified (identity-after-IC2)', k5, {});
await row('K=5 certified (all-deviations)', k5, { iicMethod: 'all' });
await row('K=5 violated, worst counterexample', k5, {}, true);
const eps = exactFromNumber(1).div(1000);
await row('K=3 strict menus, --robust 1e-3 (nonlinear)', robust, { robust: eps });
await row('K=3 binding menus, --robust 1e-3 (nonlinear)', k3.slice(0, robust.length), { robust: eps });
await shutdownZ3();
