/**
 * Markdown of the results: the table (table.md) and docs/results/README.md. Every sentence that states
 * a finding is derived from the numbers (sign and confidence interval), so a rerun that comes out
 * differently says so in its own words.
 */

import type { ConfigRow, Metric, PairedComparison, Stat } from './aggregate.js';

const METRIC_NAMES: Record<Metric, string> = {
  ratioRaw: 'raw U/U* (before repair)',
  ratioRepaired: 'mean U/U* after repair',
  medianRepaired: 'median U/U* after repair',
};

import type { Results } from './analyse.js';
import type { Interval } from './stats.js';

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
  '| configuration | seeds | U/U* raw | U/U* after repair | median U/U* after repair | feasible raw | feasible after repair | certified | violation raw | wall time / update |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];

export function renderTable(res: Results): string {
  const lines = [
    `Final evaluation on the first ${res.design.evalMarkets} markets of the evaluation set, ${res.design.updatesPerRun} SAC updates per run (${res.mode} mode). Mean ± sample standard deviation over seeds; each seed's value is its mean over the markets, except the median column (its median over the markets, which a few markets where repair pays a lot cannot dominate).`,
    '',
    ...HEADER,
    ...res.table.map(tableRow),
    '',
    'Pruning-rate sweep (EDMSAC, T = 5; rho_p = 0 is DMSAC):',
    '',
    ...HEADER,
    ...res.sweeps.rho.map((p) => tableRow(p.row)),
    '',
    'Denoising-steps sweep (EDMSAC, rho_p = 0.1):',
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
    '| metric | seed pairs | EDMSAC | DMSAC | difference EDMSAC - DMSAC (95% t-interval) | relative difference (95% paired bootstrap) |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of res.comparison) {
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    lines.push(
      `| ${METRIC_NAMES[c.metric]} | ${c.seeds.length} | ${f3(mean(c.edmsac))} | ${f3(mean(c.dmsac))} | ${ci(c.difference)} | ${ci(c.relative, 100, 1)} % |`,
    );
  }
  return lines;
}

function speedLines(res: Results): string[] {
  if (res.speed.length === 0) return ['(no rho_p = 0.3 policy to time)'];
  const lines = [
    '| policy | contracts | dense ms/contract | compacted ms/contract | speed-up (median [p10, p90] over repetitions) | FLOPs per denoising step dense -> compacted | hidden widths kept | max action difference |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of res.speed) {
    const id = s.policy.split('/').slice(-2, -1)[0];
    lines.push(
      `| ${id} | ${s.contracts} | ${s.denseMsPerContract.toFixed(4)} | ${s.compactMsPerContract.toFixed(4)} | ${s.speedup.toFixed(2)}x [${s.speedupLo.toFixed(2)}, ${s.speedupHi.toFixed(2)}] | ${s.flops.before.toLocaleString('en')} -> ${s.flops.after.toLocaleString('en')} (${(s.flops.before / s.flops.after).toFixed(2)}x) | ${s.widths.after.join(', ')} of ${s.widths.before.join(', ')} | ${s.maxActionDifference.toExponential(1)} |`,
    );
  }
  return lines;
}

function findings(res: Results): string[] {
  const row = (label: string) => res.table.find((r) => r.label === label)!;
  const [ed, dm, sac, rnd] = ['EDMSAC', 'DMSAC', 'Gaussian SAC', 'random contract'].map(row) as ConfigRow[];
  const out: string[] = [];
  const minRepaired = Math.min(...[ed, dm, sac, rnd].map((r) => r!.feasibleRepaired.mean));
  const best = [ed!, dm!, sac!].reduce((a, b) => (b.ratioRepaired.mean > a.ratioRepaired.mean ? b : a));
  out.push(
    `- ${best.ratioRepaired.mean < 0.9 ? '**No learned policy comes close to the optimum at this budget.** ' : ''}After repair the learned policies reach a mean U/U* of ${f3(ed!.ratioRepaired.mean)} (EDMSAC), ${f3(dm!.ratioRepaired.mean)} (DMSAC) and ${f3(sac!.ratioRepaired.mean)} (Gaussian SAC); the random contract gets ${f3(rnd!.ratioRepaired.mean)} and the exact optimum 1 by definition. Medians over the markets (per seed, averaged over seeds) are ${f3(ed!.medianRepaired.mean)}, ${f3(dm!.medianRepaired.mean)}, ${f3(sac!.medianRepaired.mean)} and ${f3(rnd!.medianRepaired.mean)}: a few markets where repair has to pay a lot drive the means. The best learned policy by this measure is ${best.label}. Before repair: ${f3(ed!.ratioRaw.mean)}, ${f3(dm!.ratioRaw.mean)}, ${f3(sac!.ratioRaw.mean)} and ${f3(rnd!.ratioRaw.mean)} (random), but raw contracts violate the constraints, so a raw U above U* is not an achievement.`,
  );
  if (best.ratioRepaired.mean < 0)
    out.push(
      '- Offering nothing (q = 0 and R = 0 everywhere) is feasible and has U/U* = 0. After repair, every learned policy here does worse than that on average: repair makes a contract feasible by paying enough, and the contracts these policies propose need a lot of paying.',
    );
  const zero = (algo: string) => res.runs.filter((r) => r.algo === algo && r.id === `${algo}-s${r.seed}`);
  const zeroText = (['edmsac', 'dmsac', 'sac'] as const)
    .map((a) => {
      const runs = zero(a);
      const all = runs.filter((r) => r.zeroShareRepaired === 1).length;
      return `${{ edmsac: 'EDMSAC', dmsac: 'DMSAC', sac: 'Gaussian SAC' }[a]} ${all} of ${runs.length} seeds (${pct(runs.reduce((s, r) => s + r.zeroShareRepaired, 0) / Math.max(1, runs.length))} of markets)`;
    })
    .join(', ');
  out.push(
    `- Policies that end up asking for nothing: after repair, the contract is worth exactly 0 (no effort, no payment) on every evaluation market for ${zeroText}.`,
  );
  out.push(
    `- Raw (unrepaired) contracts are feasible in ${pct(ed!.feasibleRaw.mean)} (EDMSAC), ${pct(dm!.feasibleRaw.mean)} (DMSAC), ${pct(sac!.feasibleRaw.mean)} (SAC) and ${pct(rnd!.feasibleRaw.mean)} (random) of the markets; after exact repair ${minRepaired === 1 ? 'every contract is feasible' : `at least ${pct(minRepaired)} are feasible`}, and z3 certifies ${pct(Math.min(...[ed, dm, sac, rnd].map((r) => r!.certified?.mean ?? Number.NaN)))} of the repaired contracts (the lowest share of the four).`,
  );
  for (const c of res.comparison)
    out.push(
      `- ${verdict(c)} (Difference ${ci(c.difference)}; relative ${ci(c.relative, 100, 1)} %; ${c.seeds.length} seed pairs.)`,
    );
  const rho = res.sweeps.rho;
  const bestRho = rho.reduce((a, b) => (b.row.ratioRepaired.mean > a.row.ratioRepaired.mean ? b : a));
  out.push(
    `- Pruning-rate sweep: mean U/U* after repair ${rho.map((p) => `${f3(p.row.ratioRepaired.mean)} at rho_p = ${p.value}`).join(', ')}; highest at rho_p = ${bestRho.value}. With ${Math.min(...rho.map((p) => p.row.ratioRepaired.n))} to ${Math.max(...rho.map((p) => p.row.ratioRepaired.n))} seeds per point and the spreads in the table, differences smaller than about one standard deviation are not evidence of an effect.`,
  );
  const st = res.sweeps.steps;
  out.push(
    `- Denoising-steps sweep: mean U/U* after repair ${st.map((p) => `${f3(p.row.ratioRepaired.mean)} at T = ${p.value}`).join(', ')}; wall time per update ${st.map((p) => `${p.row.secondsPerUpdate ? (1000 * p.row.secondsPerUpdate.mean).toFixed(0) : '-'} ms at T = ${p.value}`).join(', ')}.`,
  );
  if (res.speed.length > 0) {
    const sp = res.speed.map((s) => s.speedup);
    const slower = res.speed.filter((s) => s.speedupHi < 1 || s.speedup <= 1);
    out.push(
      `- Contract generation: the compacted rho_p = ${res.design.speedRatio} actor is ${sp.map((v) => `${v.toFixed(2)}x`).join(' and ')} as fast as the same policy run dense (median over alternating repetitions; ${res.speed.map((s) => `${s.denseMsPerContract.toFixed(3)} -> ${s.compactMsPerContract.toFixed(3)} ms per contract`).join('; ')}), for the same actions (max difference ${Math.max(...res.speed.map((s) => s.maxActionDifference)).toExponential(1)}). ${slower.length === 0 ? 'In every policy timed the 10% quantile of the per-repetition speed-up is above 1.' : 'In at least one policy the speed-up is not clear of 1.'}`,
    );
  }
  out.push(
    `- Training cost per update (wall clock, ${res.generated.queue !== undefined && res.generated.queue !== 'local' ? 'on the workers of a Redis queue' : `${res.generated.jobs} runs at a time on the shared machine`}, acting and probes included): EDMSAC ${ms(ed!)}, DMSAC ${ms(dm!)}, Gaussian SAC ${ms(sac!)}. Pruning masks only gate units during training (the tfjs actor keeps its dense shapes), so they do not make training faster; the gain is at generation time with the compacted export.`,
  );
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
  const nearOptimum = Math.max(...rows.map((r) => r.ratioRepaired.mean)) >= 0.9;
  const fasterCompact = res.speed.length > 0 && res.speed.every((s) => s.speedupLo > 1);
  const totalMin = ((g.trainingSeconds + g.analysisSeconds) / 60).toFixed(1);
  const lines = [
    '# Results: EDMSAC vs DMSAC vs Gaussian SAC vs random contract vs exact optimum',
    '',
    `These figures come from the **${res.mode} mode** of \`tools/experiment\`, run on ${g.date.slice(0, 10)} (${g.date}) with`,
    '',
    '```sh',
    command,
    '```',
    '',
    `on ${g.machine}, ${parallel}. Training took ${(g.trainingSeconds / 60).toFixed(1)} min, the analysis (random contract, optimum, speed) ${(g.analysisSeconds / 60).toFixed(1)} min: ${totalMin} min in all${g.resumed ? ' (the analysis was redone with --resume; the training time is the span of the run files, first start to last finish)' : ''}.`,
    '',
    codeLine(res),
    '',
    '## What was found',
    '',
    ...findings(res),
    '',
    `The published claim is that EDMSAC generates better dynamic contracts than DMSAC, by up to 23%, and denoises more efficiently. At this budget (${d.updatesPerRun} updates per run, ${d.updatesPerRun / d.actorEvery} of them actor steps, against the 10^5 of the paper setting) ${nearOptimum ? 'the learned policies come near the optimum' : 'none of the learned policies is near the optimum, so this experiment cannot test the quality claim in the regime it was made for'}; what it does show about EDMSAC vs DMSAC is stated above with its interval. ${fasterCompact ? 'The efficiency claim holds for contract generation with the compacted actor.' : 'The compacted actor was not clearly faster in this run (see the speed table).'}`,
    '',
    '## Design',
    '',
    `- Algorithms: EDMSAC (diffusion actor, magnitude pruning, rho_p = ${d.edmsacRatio}, masks recomputed every ${d.pruneEvery} updates, cubic ramp over the first ${d.rampShare * 100}% of training), DMSAC, Gaussian SAC: same budget (${d.steps} environment steps of ${d.marketsPerStep} markets, the first ${d.warmupSteps} with random actions, then ${d.updatesPerStep} SAC updates per step with one actor step every ${d.actorEvery}: ${d.updatesPerRun} updates), same seeds ${d.seeds.join(', ')}; seed s of every algorithm trains on the same market stream, so comparisons pair by seed.`,
    `- Random contract: every action entry uniform in [-1, 1], one stream per seed (${d.seeds.length} seeds), decoded, repaired and certified exactly as a policy's output is.`,
    `- Exact optimum: U/U* = 1 by definition. U* over the ${res.optimum.markets} evaluation markets: mean ${res.optimum.meanUStar.toFixed(2)}, min ${res.optimum.minUStar.toFixed(2)}, max ${res.optimum.maxUStar.toFixed(2)}; largest certified relative gap ${res.optimum.maxGap.toExponential(1)}; the runs' own U* agree to ${res.optimum.maxRunDisagreement.toExponential(1)} (relative).`,
    `- Evaluation: the first ${d.evalMarkets} markets of the fixed evaluation set (never trained on), the policy's noise-free contract, then exact repair, then a z3 certificate of the repaired contract (${d.certify ? 'on' : 'off'}). Learning curves use the training app's probe markets (${d.probeSize}, a held-out set of their own) every ${d.logEvery} steps.`,
    `- Sweeps (EDMSAC): rho_p in {${d.rhoValues.join(', ')}} at T = ${d.denoisingSteps}, T in {${d.stepValues.join(', ')}} at rho_p = ${d.edmsacRatio}; points that need their own runs use seeds ${d.sweepSeeds.join(', ')}; rho_p = ${d.edmsacRatio} and T = ${d.denoisingSteps} are the comparison's EDMSAC runs (${d.seeds.length} seeds) and rho_p = 0 (no neuron masked) is the comparison's DMSAC.`,
    '- Statistics: each seed contributes one number (its mean over the evaluation markets). Tables give mean ± sample standard deviation over seeds. EDMSAC vs DMSAC: the paired difference (same seed) with a 95% Student-t interval, and the relative difference (mean EDMSAC - mean DMSAC) / |mean DMSAC| with a 95% percentile bootstrap over seed pairs (10,000 resamples, fixed seed). With 5 seeds these intervals are wide; treat them as such.',
    `- Speed: the rho_p = ${d.speedRatio} EDMSAC policies, dense (as saved, masked units computed and multiplied by zero) vs compacted (masked units removed by @diffcontract/pruning's compactNetwork), both in diffusion-actor's ActorInference (WebAssembly kernels, one thread), noise-free, same states, alternating repetitions.`,
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
    '| | raw | after repair |',
    '| --- | --- | --- |',
    '| EDMSAC | ![EDMSAC raw](curve-edmsac.svg) | ![EDMSAC repaired](curve-edmsac-repaired.svg) |',
    '| DMSAC | ![DMSAC raw](curve-dmsac.svg) | ![DMSAC repaired](curve-dmsac-repaired.svg) |',
    '| Gaussian SAC | ![SAC raw](curve-sac.svg) | ![SAC repaired](curve-sac-repaired.svg) |',
    '',
    '![U/U* after repair, all three](curve-comparison.svg)',
    '',
    '![pruning-rate sweep](sweep-rho.svg)',
    '',
    '![denoising-steps sweep](sweep-steps.svg)',
    '',
    'Learning curves are on the probe markets (noise-free policy), bands mean ± one standard deviation over seeds, raw and repaired on separate axes (repaired values reach thousands below zero on a few markets). Sweep plots show the raw mean U/U* and the median (over markets) U/U* after repair, mean ± one standard deviation over seeds.',
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
