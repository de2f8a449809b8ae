// In your project: node node_modules/@diffcontract/contract-checker/examples/quickstart.mjs (or a copy).
// In the repository: pnpm build, then node examples/quickstart.mjs in packages/contract-checker.
import { checkContract, robustnessMargin, shutdownZ3 } from '@diffcontract/contract-checker';
import { parseExactNumber as x } from '@diffcontract/env';

// K = 2, theta = (1/2, 1), a = 1, delta = 0; numbers exactly as written ("1/2" is one half).
const market = {
  theta: [x('1/2'), x('1')],
  prior: [x('0.5'), x('0.5')],
  transition: [
    [x('0.5'), x('0.5')],
    [x('0.5'), x('0.5')],
  ],
  a: x('1'),
  beta: x('10'),
  delta: x('0'),
  qMax: x('10'),
  esCount: 10,
};
const item = (q, reward) => ({ q: x(q), reward: x(reward) });
const zero = [item('0', '0'), item('0', '0')];
const contract = { period1: [item('1', '3'), item('2', '15/2')], period2: [zero, zero] };

const cert = await checkContract(market, contract);
console.log(
  cert.verdict,
  Object.values(cert.families)
    .map((f) => `${f.family} ${f.status}`)
    .join(', '),
);

const robust = await checkContract(market, contract, { robust: x('1/6') });
const cx = robust.families.IIC.counterexample;
console.log(`EPS 1/6: ${robust.verdict}: ${cx.deviation}, gain ${cx.gain.fraction}`);

const margin = await robustnessMargin(market, contract, { tolerance: x('1/1000') });
console.log(`margin in [${margin.lo.decimal}, ${margin.hi.decimal}] (exactly 1/7 by hand)`);
await shutdownZ3(); // z3's worker threads would keep node alive
