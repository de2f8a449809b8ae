// The README example. In your project: node node_modules/@diffcontract/optimum/examples/quickstart.mjs
// (or a copy). In the repository: pnpm build && node packages/optimum/examples/quickstart.mjs
import { isFeasibleExact, toExactMarket } from '@diffcontract/env';
import { compositionLowerBound, repairContract, solveOptimum } from '@diffcontract/optimum';

const market = {
  theta: [0.4, 0.7, 1.0],
  prior: [0.3, 0.4, 0.3],
  transition: [
    [0.6, 0.3, 0.1],
    [0.2, 0.6, 0.2],
    [0.1, 0.3, 0.6],
  ],
  a: 1,
  beta: 10,
  delta: 0.9,
  qMax: 10,
  esCount: 10,
};
const optimum = await solveOptimum(market);
console.log('U* =', optimum.cloudUtility.toFixed(9), 'gap', optimum.gap.toExponential(1));
console.log('composition bound', compositionLowerBound(market).cloudUtility.toFixed(9));
console.log('exactly feasible:', isFeasibleExact(toExactMarket(market), optimum.exactContract));

// Same contributions, rewards wiped: repair keeps q and recomputes the cloud-best rewards.
const zeroed = {
  period1: optimum.exactContract.period1.map(({ q }) => ({ q, reward: q.mul(0) })),
  period2: optimum.exactContract.period2.map((row) => row.map(({ q }) => ({ q, reward: q.mul(0) }))),
};
const repaired = await repairContract(toExactMarket(market), zeroed);
console.log('repair keeps q:', !repaired.changedAllocation, repaired.cloudUtility.toFixed(9));
