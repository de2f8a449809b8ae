// The evaluation of a policy on the first 3 markets of the fixed evaluation set. In the repository:
// pnpm build && node packages/evaluation/examples/quickstart.mjs

import { allocationActionDim, evaluationSet } from '@diffcontract/env';
import { evalMarketsOf, evaluatePolicy, optimumFor } from '@diffcontract/evaluation';

const markets = evalMarketsOf(evaluationSet().slice(0, 3));
const optimum = await optimumFor(markets.map((m) => m.exact));
const A = allocationActionDim(markets[0].market.theta.length);
// A constant policy: every ES asked for q = qMax / 25 after every history (action -0.6; q = qMax ((u + 1) / 2)^2).
const act = () => new Float32Array(markets.length * A).fill(-0.6);
const report = await evaluatePolicy({
  markets,
  optimum,
  act,
  formulation: 'allocation',
  penalty: 5,
  certify: true,
});
for (const m of report.markets) {
  console.log(
    m.name,
    'U/U* delivered',
    m.repaired.ratio.toFixed(4),
    'exactly feasible',
    m.repaired.feasible,
    m.certificate.verdict,
  );
}
console.log('mean U/U* delivered', report.summary.meanRatioRepaired.toFixed(4));
