/**
 * Markdown of the results: the table (table.md) and docs/results/README.md. Every sentence that states
 * a finding is derived from the numbers (sign and confidence interval), so a rerun that comes out
 * differently says so in its own words.
 */

import type { ConfigRow, Metric, PairedComparison, Stat } from './aggregate.js';

const METRIC_NAMES: Record<Metric, string> = {
  ratioRaw: 'raw U/U* (the float contract, before exact delivery)',
  ratioRepaired: 'mean U/U* delivered',
  medianRepaired: 'median U/U* delivered',
};

const FORMULATION_NAMES = { allocation: 'allocation formulation', contract: 'contract formulation' };

import type { Results } from './analyse.js';
import { type Interval, mean, tInterval } from './stats.js';

/** The timed policies by rho_p, with the t-interval of their median speed-ups. */
function speedGroups(res: Results) {
  const ratios = [...new Set(res.speed.map((s) => s.ratio))].sort((a, b) => a - b);
  return ratios.map((ratio) => {
    const items = res.speed.filter((s) => s.ratio === ratio);
    return { ratio, items, speedup: tInterval(items.map((s) => s.speedup)) };
  });
}

const speedInterval = (i: Interval) =>
  Number.isFinite(i.lo)
    ? `${i.mean.toFixed(2)}x [${i.lo.toFixed(2)}, ${i.hi.toFixed(2)}]`
    : `${i.mean.toFixed(2)}x (one policy)`;

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');
const pm = (s: Stat) => (s.n > 1 ? `${f3(s.mean)} ± ${f3(s.std)}` : f3(s.mean));
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '-');
const pctPm = (s: Stat) => (s.n > 1 ? `${pct(s.mean)} ± ${pct(s.std)}` : pct(s.mean));
const ci = (i: Interval, scale = 1, digits = 3) =>
  `${(scale * i.mean).toFixed(digits)} [${(scale * i.lo).toFixed(digits)}, ${(scale * i.hi).toFixed(digits)}]`;

export function tableRow(r: ConfigRow): string {
  const spu = r.secondsPerUpdate ? `${(1000 * r.secondsPerUpdate.mean).toFixed(0)} ms` : '-';
  const seeds = r.seeds.length > 0 ? String(r.seeds.length) : '-';
  return `| ${r.label} | ${seeds} | ${pm(r.ratioRaw)} | ${pm(r.ratioRepaired)} | ${pm(r.medianRepaired)} | ${pctPm(r.feasibleRaw)} | ${pctPm(r.feasibleRepaired)} | ${r.certified ? pctPm(r.certified) : '-'} | ${pm(r.violationRaw)} | ${spu} |`;
}

const HEADER = [
  '| configuration | seeds | U/U* raw | U/U* delivered | median U/U* delivered | feasible raw | feasible delivered | certified | violation raw | wall time / update |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];

export function renderTable(res: Results): string {
  const d = res.design;
  const lines = [
    `Final evaluation on the first ${d.evalMarkets} markets of the evaluation set (${res.mode} mode), ${d.steps} environment steps per run. Mean ± sample standard deviation over seeds; each seed's value is its mean over the markets, except the median column (its median over the markets, which a few markets where repair pays a lot cannot dominate). Raw: the policy's float contract; delivered: the contract handed out, exactly feasible (allocation formulation: the exact cheapest rewards for the allocation; contract formulation: exact repair), certified by z3.`,
    '',
    `Allocation formulation (model.md 6.1; ${d.updatesPerRun} SAC updates per run, best of ${d.learners.allocation.candidates} candidates delivered):`,
    '',
    ...HEADER,
    ...res.table.map(tableRow),
    '',
    ...(res.contractTable.length > 0
      ? [
          `Contract formulation (model.md 6.2, the paper's; ${d.contractUpdatesPerRun} SAC updates per run, the noise-free contract repaired):`,
          '',
          ...HEADER,
          ...res.contractTable.map(tableRow),
          '',
        ]
      : []),
    'Pruning-rate sweep (EDMSAC, allocation formulation, T = 5; rho_p = 0 is DMSAC):',
    '',
    ...HEADER,
    ...res.sweeps.rho.map((p) => tableRow(p.row)),
    '',
    'Denoising-steps sweep (EDMSAC, allocation formulation, rho_p = 0.1):',
    '',
    ...HEADER,
    ...res.sweeps.steps.map((p) => tableRow(p.row)),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** Plain-words verdict on a paired difference interval. */
export function verdict(c: PairedComparison): string {
  const what = METRIC_NAMES[c.metric];
  const d = c.difference;
  if (!Number.isFinite(d.lo)) return `${what}: too few seed pairs for an interval.`;
  const rel = c.relative;
  const boot =
    Math.abs(rel.hi - rel.lo) <= 1e-9 * Math.max(1, Math.abs(rel.mean))
      ? ' The bootstrap interval of the relative difference collapses to a point: a single seed pair carries the whole difference, so it says nothing beyond that pair.'
      : rel.lo > 0 || rel.hi < 0
        ? ' The bootstrap interval of the relative difference excludes 0; with this few seeds a percentile bootstrap is too narrow, so the t-interval is the one to go by.'
        : '';
  if (d.lo > 0)
    return `EDMSAC's ${what} is higher than DMSAC's: the 95% t-interval of the paired difference lies above 0.`;
  if (d.hi < 0)
    return `EDMSAC does **not** beat DMSAC on ${what}: it is lower, and the 95% t-interval of the paired difference lies below 0.`;
  return `EDMSAC does **not** beat DMSAC detectably on ${what}: the 95% t-interval of the paired difference contains 0.${boot}`;
}

function comparisonLines(res: Results): string[] {
  const lines = [
    '| formulation | metric | seed pairs | EDMSAC | DMSAC | difference EDMSAC - DMSAC (95% t-interval) | relative difference (95% paired bootstrap) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of res.comparison) {
    lines.push(
      `| ${c.formulation ?? 'contract'} | ${METRIC_NAMES[c.metric]} | ${c.seeds.length} | ${f3(mean(c.edmsac))} | ${f3(mean(c.dmsac))} | ${ci(c.difference)} | ${ci(c.relative, 100, 1)} % |`,
    );
  }
  return lines;
}

function speedLines(res: Results): string[] {
  if (res.speed.length === 0) return ['(no pruned policy to time)'];
  const lines = [
    "| rho_p | policies | speed-up, mean of the policies' medians (95% t-interval over policies) | dense ms/contract | compacted ms/contract | FLOPs per denoising step, dense / compacted |",
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const g of speedGroups(res)) {
    lines.push(
      `| ${g.ratio} | ${g.items.length} | ${speedInterval(g.speedup)} | ${mean(g.items.map((s) => s.denseMsPerContract)).toFixed(4)} | ${mean(g.items.map((s) => s.compactMsPerContract)).toFixed(4)} | ${mean(g.items.map((s) => s.flops.before / s.flops.after)).toFixed(2)}x |`,
    );
  }
  lines.push(
    '',
    '| policy | contracts | dense ms/contract | compacted ms/contract | speed-up (median [p10, p90] over repetitions) | FLOPs per denoising step dense -> compacted | hidden widths kept | max action difference |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const s of res.speed) {
    const id = s.policy.split('/').slice(-2, -1)[0];
    lines.push(
      `| ${id} | ${s.contracts} | ${s.denseMsPerContract.toFixed(4)} | ${s.compactMsPerContract.toFixed(4)} | ${s.speedup.toFixed(2)}x [${s.speedupLo.toFixed(2)}, ${s.speedupHi.toFixed(2)}] | ${s.flops.before.toLocaleString('en')} -> ${s.flops.after.toLocaleString('en')} (${(s.flops.before / s.flops.after).toFixed(2)}x) | ${s.widths.after.join(', ')} of ${s.widths.before.join(', ')} | ${s.maxActionDifference.toExponential(1)} |`,
    );
  }
  return lines;
}

function findings(res: Results): string[] {
  const row = (rows: ConfigRow[], label: string) => rows.find((r) => r.label === label);
  const ed = row(res.table, 'EDMSAC')!;
  const dm = row(res.table, 'DMSAC')!;
  const sac = row(res.table, 'Gaussian SAC')!;
  const rnd = row(res.table, 'random allocation')!;
  const out: string[] = [];
  const learned = [ed, dm, sac];
  const best = learned.reduce((a, b) => (b.ratioRepaired.mean > a.ratioRepaired.mean ? b : a));
  out.push(
    `- **Allocation formulation.** Delivered contracts reach a mean U/U* of ${f3(ed.ratioRepaired.mean)} (EDMSAC), ${f3(dm.ratioRepaired.mean)} (DMSAC) and ${f3(sac.ratioRepaired.mean)} (Gaussian SAC); a random allocation gets ${f3(rnd.ratioRepaired.mean)} and the exact optimum 1 by definition. ${best.ratioRepaired.mean >= 0.95 ? `Every learned policy is within ${pct(1 - Math.min(...learned.map((r) => r.ratioRepaired.mean)))} of the optimum on average` : 'Not every learned policy is near the optimum at this budget'}; the best is ${best.label}. Medians over the markets: ${f3(ed.medianRepaired.mean)}, ${f3(dm.medianRepaired.mean)}, ${f3(sac.medianRepaired.mean)} and ${f3(rnd.medianRepaired.mean)}.`,
  );
  const minFeasible = Math.min(
    ...[...res.table.slice(0, 4), ...res.contractTable].map((r) => r.feasibleRepaired.mean),
  );
  const minCertified = Math.min(
    ...[...res.table.slice(0, 4), ...res.contractTable].map((r) => r.certified?.mean ?? Number.NaN),
  );
  out.push(
    `- Delivered contracts: ${minFeasible === 1 ? 'every one is exactly feasible' : `at least ${pct(minFeasible)} are exactly feasible`} (IR and IC in rationals) and z3 certifies ${pct(minCertified)} of them (the lowest share over the configurations). The float contracts before exact delivery are feasible in ${pct(ed.feasibleRaw.mean)} (EDMSAC), ${pct(dm.feasibleRaw.mean)} (DMSAC), ${pct(sac.feasibleRaw.mean)} (SAC) of the markets in the allocation formulation (the float LP's rewards are exact up to rounding).`,
  );
  const ced = row(res.contractTable, 'EDMSAC');
  const cdm = row(res.contractTable, 'DMSAC');
  const crnd = row(res.contractTable, 'random contract');
  if (ced && cdm && crnd)
    out.push(
      `- **Contract formulation** (the paper's: the policy outputs every number, violations penalised, then exact repair): EDMSAC ${f3(ced.ratioRepaired.mean)}, DMSAC ${f3(cdm.ratioRepaired.mean)} after repair (raw ${f3(ced.ratioRaw.mean)} and ${f3(cdm.ratioRaw.mean)}, violating the constraints in ${pct(1 - ced.feasibleRaw.mean)} and ${pct(1 - cdm.feasibleRaw.mean)} of the markets); the random contract ${f3(crnd.ratioRepaired.mean)}. On the same environment steps the allocation formulation delivers ${f3(ed.ratioRepaired.mean - ced.ratioRepaired.mean)} (EDMSAC) and ${f3(dm.ratioRepaired.mean - cdm.ratioRepaired.mean)} (DMSAC) more of U*.`,
    );
  for (const c of res.comparison)
    out.push(
      `- ${FORMULATION_NAMES[c.formulation ?? 'contract']}: ${verdict(c)} (Difference ${ci(c.difference)}; relative ${ci(c.relative, 100, 1)} %; ${c.seeds.length} seed pairs.)`,
    );
  out.push(...claimLines(res));
  const rho = res.sweeps.rho;
  const bestRho = rho.reduce((a, b) => (b.row.ratioRepaired.mean > a.row.ratioRepaired.mean ? b : a));
  out.push(
    `- Pruning-rate sweep: mean U/U* delivered ${rho.map((p) => `${f3(p.row.ratioRepaired.mean)} at rho_p = ${p.value}`).join(', ')}; highest at rho_p = ${bestRho.value}. With ${Math.min(...rho.map((p) => p.row.ratioRepaired.n))} to ${Math.max(...rho.map((p) => p.row.ratioRepaired.n))} seeds per point and the spreads in the table, differences smaller than about one standard deviation are not evidence of an effect.`,
  );
  const st = res.sweeps.steps;
  out.push(
    `- Denoising-steps sweep: mean U/U* delivered ${st.map((p) => `${f3(p.row.ratioRepaired.mean)} at T = ${p.value}`).join(', ')}; wall time per update ${st.map((p) => `${p.row.secondsPerUpdate ? (1000 * p.row.secondsPerUpdate.mean).toFixed(0) : '-'} ms at T = ${p.value}`).join(', ')}.`,
  );
  out.push(
    `- Training cost per update (wall clock, ${res.generated.queue !== undefined && res.generated.queue !== 'local' ? 'on the workers of a Redis queue' : `${res.generated.jobs} runs at a time on the shared machine`}, acting, probes and the exact LP gradient included): EDMSAC ${ms(ed)}, DMSAC ${ms(dm)}, Gaussian SAC ${ms(sac)}. Pruning masks only gate units during training (the tfjs actor keeps its dense shapes), so they do not make training faster; the gain is at generation time with the compacted export.`,
  );
  return out;
}

/** The two published claims, each with its interval: contract quality (up to 23%) and denoising time. */
export function claimLines(res: Results): string[] {
  const out: string[] = [];
  const quality = res.comparison.find(
    (c) => (c.formulation ?? 'contract') === 'allocation' && c.metric === 'ratioRepaired',
  );
  if (quality && quality.seeds.length > 0) {
    const dm = mean(quality.dmsac);
    const ed = mean(quality.edmsac);
    // Delivered contracts are feasible, so U <= U* on every market: no policy's mean U/U* exceeds 1,
    // and no policy can beat DMSAC by more than 1/dm - 1 in relative terms.
    const headroom = 1 / dm - 1;
    const rel = quality.relative;
    const inside = Number.isFinite(rel.lo) && rel.lo <= 0.23 && 0.23 <= rel.hi;
    const direction =
      quality.difference.lo > 0
        ? 'EDMSAC is ahead, detectably'
        : quality.difference.hi < 0
          ? 'EDMSAC is behind, detectably'
          : 'no difference is detectable';
    const regime =
      dm >= 0.95
        ? 'tested where the policies are near the optimum'
        : 'at this budget DMSAC is not near the optimum';
    const bound =
      dm > 0
        ? ` Here no policy can beat DMSAC by more than ${pct(headroom)} (a delivered contract is feasible, so U <= U* on every market), so a gain of 23% ${headroom < 0.23 ? 'is impossible in this regime' : 'would be possible in this regime'}.`
        : '';
    out.push(
      `- **The 23% claim** (EDMSAC's contracts up to 23% better than DMSAC's), ${regime}: DMSAC delivers ${f3(dm)} of U* on average and EDMSAC ${f3(ed)}, a relative difference of ${ci(rel, 100, 1)} % (95% paired bootstrap over ${quality.seeds.length} seeds; paired difference ${ci(quality.difference)}, t-interval): ${direction}. ${inside ? '23% lies inside that interval.' : '23% lies outside that interval.'}${bound}`,
    );
  }
  const contractQuality = res.comparison.find(
    (c) => (c.formulation ?? 'contract') === 'contract' && c.metric === 'ratioRepaired',
  );
  if (contractQuality && contractQuality.seeds.length > 0 && res.contractTable.length > 0) {
    const rel = contractQuality.relative;
    out.push(
      `- In the paper's contract formulation, far from the optimum (DMSAC ${f3(mean(contractQuality.dmsac))}, EDMSAC ${f3(mean(contractQuality.edmsac))} after repair), the relative difference is ${ci(rel, 100, 1)} % (${contractQuality.seeds.length} seeds): ${contractQuality.difference.lo > 0 ? 'EDMSAC ahead' : contractQuality.difference.hi < 0 ? 'EDMSAC behind' : 'not detectable'} by its t-interval ${ci(contractQuality.difference)}.`,
    );
  }
  const groups = speedGroups(res);
  if (groups.length > 0) {
    const clear = groups.filter(
      (g) => g.speedup.lo > 1 || (!Number.isFinite(g.speedup.lo) && g.items.every((s) => s.speedupLo > 1)),
    );
    out.push(
      `- **The efficiency claim** (EDMSAC denoises faster): generating contracts with the compacted actor (masked units removed) against the same policy run dense, same actions (max difference ${Math.max(...res.speed.map((s) => s.maxActionDifference)).toExponential(1)}): ${groups.map((g) => `${speedInterval(g.speedup)} at rho_p = ${g.ratio} (${g.items.length} ${g.items.length === 1 ? 'policy' : 'policies'})`).join(', ')} (mean of each policy's median speed-up over alternating repetitions, 95% t-interval over policies). ${clear.length === groups.length ? 'Every interval lies above 1: the compacted actor is faster at every pruning rate timed.' : `The speed-up is clear of 1 at ${clear.length === 0 ? 'no' : clear.map((g) => `rho_p = ${g.ratio}`).join(', ')} pruning rate${clear.length === 1 ? '' : 's'} timed.`}`,
    );
  }
  return out;
}

const ms = (r: ConfigRow) =>
  r.secondsPerUpdate
    ? `${(1000 * r.secondsPerUpdate.mean).toFixed(0)} ± ${(1000 * r.secondsPerUpdate.std).toFixed(0)} ms`
    : '-';

function reproLines(res: Results): string[] {
  const r = res.reproducibility;
  if (!r) return [];
  const verdictText =
    r.identical === r.compared
      ? 'every evaluation figure and every probe value is identical to the last bit'
      : `${r.identical} runs are identical to the last bit, ${r.differing.length} differ (${r.differing.join(', ')}; largest difference ${r.maxAbsDifference.toPrecision(3)})`;
  return [
    '## Reproducibility check',
    '',
    `These runs were compared run by run with an independent run of the same mode from scratch (\`${r.against}\`, ${r.againstDate}, commit ${r.againstCommit ? `\`${r.againstCommit.slice(0, 10)}\`` : 'not recorded'}): of ${r.compared} runs, ${verdictText}.${r.identical === r.compared ? ' Only wall times differ.' : ''}`,
    '',
  ];
}

function codeLine(res: Results): string {
  const c = res.generated.code;
  if (!c?.commit) return 'Code: not recorded (no git checkout).';
  const dirty =
    c.uncommitted.length === 0
      ? 'no uncommitted changes under apps/, packages/, specs/, tools/'
      : `with ${c.uncommitted.length} uncommitted change(s) under the source folders at the time (${c.uncommitted
          .slice(0, 6)
          .map((l) => l.trim())
          .join('; ')}${c.uncommitted.length > 6 ? '; ...' : ''})`;
  return `Code: commit \`${c.commit.slice(0, 10)}\`, ${dirty}; recorded when training started (${c.recordedAt}).`;
}

export function renderReadme(res: Results): string {
  const d = res.design;
  const g = res.generated;
  const redis = g.queue !== undefined && g.queue !== 'local' ? g.queue : null;
  const command = redis
    ? [
        `pnpm install && pnpm build && pnpm -s experiment --mode ${res.mode} --queue ${redis}`,
        `pnpm -s experiment worker --queue ${redis}   # on each worker machine`,
      ].join('\n')
    : res.mode === 'reduced'
      ? 'pnpm install && pnpm turbo experiment'
      : `pnpm install && pnpm turbo experiment -- --mode ${res.mode}`;
  const parallel = redis
    ? `runs trained by the workers of the BullMQ queue on ${redis}`
    : `${g.jobs} training processes at a time`;
  const rows = res.table.slice(0, 3);
  const nearOptimum = Math.min(...rows.slice(0, 2).map((r) => r.ratioRepaired.mean)) >= 0.95;
  const al = d.learners.allocation;
  const co = d.learners.contract;
  const totalMin = ((g.trainingSeconds + g.analysisSeconds) / 60).toFixed(1);
  const lines = [
    '# Results: EDMSAC vs DMSAC vs Gaussian SAC vs random policy vs exact optimum',
    '',
    `These figures come from the **${res.mode} mode** of \`tools/experiment\`, run on ${g.date.slice(0, 10)} (${g.date}) with`,
    '',
    '```sh',
    command,
    '```',
    '',
    `on ${g.machine}, ${parallel}. Training took ${(g.trainingSeconds / 60).toFixed(1)} min, the analysis (random policies, optimum, speed) ${(g.analysisSeconds / 60).toFixed(1)} min: ${totalMin} min in all${g.resumed ? ' (the analysis was redone with --resume; the training time is the span of the run files, first start to last finish)' : ''}.`,
    '',
    codeLine(res),
    '',
    '## What was found',
    '',
    ...findings(res),
    '',
    `The published claims are that EDMSAC generates better dynamic contracts than DMSAC, by up to 23%, and denoises more efficiently. ${nearOptimum ? `At this budget (${d.steps} environment steps, ${d.updatesPerRun} updates per run in the allocation formulation, against the 10^5 of the paper setting) EDMSAC and DMSAC deliver contracts within 5% of the optimum, the regime the quality claim was made for` : 'At this budget EDMSAC or DMSAC stays below 0.95 of the optimum, so the quality claim is not tested in the regime it was made for'}; both claims are stated above with their intervals.`,
    '',
    '## Design',
    '',
    `- Allocation formulation (model.md 6.1, the default): the policy chooses the allocation q, an exact LP pays the cheapest rewards. EDMSAC (diffusion actor, magnitude pruning, rho_p = ${d.edmsacRatio}, masks recomputed every ${d.pruneEvery} updates, cubic ramp over the first ${d.rampShare * 100}% of training), DMSAC, Gaussian SAC: same budget (${d.steps} environment steps of ${d.marketsPerStep} markets, the first ${d.warmupSteps} with random actions, then ${al.updatesPerStep} SAC updates per step with one actor step every ${al.actorEvery}: ${d.updatesPerRun} updates; actor lr ${al.actorLr}, the actor following the LP's exact reward gradient with weight ${al.exactGradient}; the best of ${al.candidates} candidates delivered), same seeds ${d.seeds.join(', ')}; seed s of every algorithm trains on the same market stream, so comparisons pair by seed.`,
    `- Contract formulation (model.md 6.2, the paper's): EDMSAC and DMSAC, seeds ${d.contractSeeds.join(', ')}, same environment steps; ${co.updatesPerStep} SAC updates per step, one actor step every ${co.actorEvery} (${d.contractUpdatesPerRun} updates), actor lr ${co.actorLr}, critic-only actor, rewards ${co.rewardTransform}; the noise-free contract, exactly repaired.`,
    `- Random policies: a uniform action in [-1, 1] per entry, one stream per seed, delivered exactly as a policy's action is: a random allocation (seeds ${d.seeds.join(', ')}), priced exactly, and a random contract (seeds ${d.contractSeeds.join(', ')}), repaired.`,
    `- Exact optimum: U/U* = 1 by definition. U* over the ${res.optimum.markets} evaluation markets: mean ${res.optimum.meanUStar.toFixed(2)}, min ${res.optimum.minUStar.toFixed(2)}, max ${res.optimum.maxUStar.toFixed(2)}; largest proven relative gap (upper bound minus U*, over the bound) ${res.optimum.maxGap.toExponential(1)}; the runs' own U* agree to ${res.optimum.maxRunDisagreement.toExponential(1)} (relative).`,
    `- Evaluation: the first ${d.evalMarkets} markets of the fixed evaluation set (never trained on); the delivered contract certified by z3 (${d.certify ? 'on' : 'off'}). Learning curves use the training app's probe markets (${d.probeSize}, a held-out set of their own, the noise-free policy) every ${d.logEvery} steps.`,
    `- Sweeps (EDMSAC, allocation formulation): rho_p in {${d.rhoValues.join(', ')}} at T = ${d.denoisingSteps}, T in {${d.stepValues.join(', ')}} at rho_p = ${d.edmsacRatio}; points that need their own runs use seeds ${d.sweepSeeds.join(', ')}; rho_p = ${d.edmsacRatio} and T = ${d.denoisingSteps} are the comparison's EDMSAC runs (${d.seeds.length} seeds) and rho_p = 0 (no neuron masked) is the comparison's DMSAC.`,
    '- Statistics: each seed contributes one number (its mean over the evaluation markets). Tables give mean ± sample standard deviation over seeds. EDMSAC vs DMSAC: the paired difference (same seed) with a 95% Student-t interval, and the relative difference (mean EDMSAC - mean DMSAC) / |mean DMSAC| with a 95% percentile bootstrap over seed pairs (10,000 resamples, fixed seed). With 3 to 5 seeds these intervals are wide; treat them as such.',
    `- Speed: the EDMSAC policies at rho_p in {${d.speedRatios.join(', ')}}, dense (as saved, masked units computed and multiplied by zero) vs compacted (masked units removed by @diffcontract/pruning's compactNetwork), both in diffusion-actor's ActorInference (WebAssembly kernels, one thread), noise-free, ${d.speedContracts} contracts, ${d.speedRepetitions} alternating repetitions.`,
    '',
    '## Table',
    '',
    renderTable(res).trimEnd(),
    '',
    '## EDMSAC vs DMSAC',
    '',
    ...comparisonLines(res),
    '',
    '## Contract generation: dense vs compacted actor',
    '',
    ...speedLines(res),
    '',
    '## Figures',
    '',
    '| allocation formulation | raw | delivered |',
    '| --- | --- | --- |',
    '| EDMSAC | ![EDMSAC raw](curve-edmsac.svg) | ![EDMSAC delivered](curve-edmsac-repaired.svg) |',
    '| DMSAC | ![DMSAC raw](curve-dmsac.svg) | ![DMSAC delivered](curve-dmsac-repaired.svg) |',
    '| Gaussian SAC | ![SAC raw](curve-sac.svg) | ![SAC delivered](curve-sac-repaired.svg) |',
    '',
    '![U/U* delivered, all three](curve-comparison.svg)',
    ...(res.contractTable.length > 0 ? ['', '![contract formulation](curve-contract.svg)'] : []),
    '',
    '![pruning-rate sweep](sweep-rho.svg)',
    '',
    '![denoising-steps sweep](sweep-steps.svg)',
    '',
    'Learning curves are on the probe markets (noise-free policy, no candidates), bands mean ± one standard deviation over seeds, raw and delivered on separate axes. Sweep plots show the mean U/U* raw and delivered, mean ± one standard deviation over seeds.',
    '',
    ...reproLines(res),
    '## Reproduce',
    '',
    '```sh',
    command,
    `node tools/experiment/dist/main.js --mode ${res.mode} --out /tmp/rerun   # elsewhere, leaving these files alone`,
    '```',
    '',
    'Training is seeded and runs on the wasm backend, so the runs (and with them the table) are the same on a rerun up to floating-point differences between machines; wall times differ with the load. `results.json` holds every number, per run and per seed, behind these tables. Run directories (policies, contracts with certificates, metrics) are written to `runs/` here and not committed.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
