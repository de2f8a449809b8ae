// Robustness sweep (not a test; ~1 min): solves sampled markets of many shapes and reports failures,
// exact infeasibility (env's isFeasibleExact), worst gap, LP counts and off-grid results.
// Run after `pnpm build`: node packages/optimum/scripts/sweep.mjs
import { isFeasibleExact, sampleMarkets, toExactMarket } from '@diffcontract/env';
import { highsRuntime } from '../dist/highs.js';
import { solveOptimumWith } from '../dist/solve.js';

const highs = await highsRuntime();
const sets = [
  ['K3', sampleMarkets(1001, 300)],
  ['K5', sampleMarkets(1002, 60, { K: 5 })],
  ['K2', sampleMarkets(1003, 60, { K: 2 })],
  ['K4', sampleMarkets(1004, 60, { K: 4 })],
  ['d0', sampleMarkets(1005, 60, { overrides: { delta: 0 } })],
  ['d1', sampleMarkets(1006, 60, { overrides: { delta: 1 } })],
  ['qmax1', sampleMarkets(1007, 60, { qMax: 1 })],
  ['qmax0.3', sampleMarkets(1008, 60, { qMax: 0.3 })],
  ['tight', sampleMarkets(1009, 60, { minThetaGap: 0.001, thetaRange: [0.5, 0.52] })],
  ['persist', sampleMarkets(1010, 60, { rhoRange: [0.99, 1] })],
  ['K6', sampleMarkets(1011, 10, { K: 6 })],
];
for (const [name, ms] of sets) {
  let worst = 0,
    maxIt = 0,
    fail = 0,
    infeasible = 0,
    offGrid = 0,
    maxT = 0,
    tot = 0;
  for (const m of ms) {
    try {
      const t = performance.now();
      const r = solveOptimumWith(highs, m);
      const dt = performance.now() - t;
      tot += dt;
      maxT = Math.max(maxT, dt);
      worst = Math.max(worst, r.gap);
      maxIt = Math.max(maxIt, r.iterations);
      if (!r.onGrid) offGrid++;
      if (!isFeasibleExact(toExactMarket(m), r.exactContract)) infeasible++;
    } catch (e) {
      fail++;
      console.log(name, e.message);
    }
  }
  console.log(
    name.padEnd(8),
    'n',
    ms.length,
    'fail',
    fail,
    'infeasible',
    infeasible,
    'worstGap',
    worst.toExponential(2),
    'maxLPs',
    maxIt,
    'offGrid',
    offGrid,
    'mean ms',
    (tot / ms.length).toFixed(1),
    'max ms',
    maxT.toFixed(0),
  );
}
