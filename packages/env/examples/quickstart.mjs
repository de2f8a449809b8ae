// In your project: node node_modules/@diffcontract/env/examples/quickstart.mjs (or a copy of it). In the
// repository: pnpm build, then node examples/quickstart.mjs in packages/env.
import {
  BatchEvaluator,
  ContractEnvironment,
  cloudUtility,
  constraintInstances,
  decodeAction,
  evaluationSet,
  exactField,
  formatExact,
  isFeasibleExact,
  parseExactNumber,
  toExactContract,
  toExactMarket,
  validateMarket,
  violation,
  worstConstraint,
} from '@diffcontract/env';

const market = evaluationSet()[0];
validateMarket(market);

// An action in [-1, 1]^(2K + 2K^2) decodes to a contract (model.md section 6).
const action = new Float32Array(24).fill(-0.5);
const contract = decodeAction(market, action);
console.log('U/N =', (cloudUtility(market, contract) / market.esCount).toFixed(4));
console.log('viol =', violation(market, contract).toFixed(4));

// Exact check on the exact binary64 values; the tightest constraint as a rational.
const [m, c] = [toExactMarket(market), toExactContract(contract)];
const worst = worstConstraint(m, c, exactField);
console.log(
  'feasible:',
  isFeasibleExact(m, c),
  '| worst:',
  worst.family,
  worst.i,
  exactField.toNumber(worst.slack),
);
console.log('constraint instances:', constraintInstances(m, c, exactField).length);
console.log('parsed 1/3 + 0.1 =', formatExact(parseExactNumber('1/3').add(parseExactNumber('0.1'))));

// Batched training loop interface: states in, rewards out.
const env = new ContractEnvironment({ seed: 1 });
const states = env.reset(256);
const { reward } = env.step(new Float32Array(256 * env.actionDim).fill(-0.5));
console.log('states', states.length, 'mean reward', (reward.reduce((s, r) => s + r, 0) / 256).toFixed(4));
console.log('BatchEvaluator K =', new BatchEvaluator(3).K);
