// Measures where the float solver keeps its promise (gap <= 1e-9, exactly feasible repair), for
// FLOAT_RANGES in packages/env/src/float-range.ts. Random markets that pass checkFloatRanges, K = 1..4,
// every parameter log-uniform with a quarter of the draws on each end of its range; prints the
// markets that fail or take over 3 s. Usage (after pnpm build): node apps/verify/scripts/float-range-scan.mjs SEED N
import { checkFloatRanges, isFeasibleExact, parseExactNumber as P } from '@diffcontract/env';
import { repairContract, solveOptimum } from '@diffcontract/optimum';

const seed = Number(process.argv[2] ?? 1);
const n = Number(process.argv[3] ?? 100);
let st = seed >>> 0 || 1;
const u = () => {
  st ^= st << 13;
  st >>>= 0;
  st ^= st >>> 17;
  st ^= st << 5;
  st >>>= 0;
  return st / 4294967296;
};
const logU = (lo, hi) => Math.exp(Math.log(lo) + u() * (Math.log(hi) - Math.log(lo)));
const edge = (lo, hi) => {
  const r = u();
  return r < 0.25 ? lo : r < 0.5 ? hi : logU(lo, hi);
};
const X = (x) => P(x.toPrecision(6));
let tried = 0,
  bad = 0;
while (tried < n) {
  const K = 1 + Math.floor(u() * 4);
  const tmin = edge(1e-2, 1e2),
    spread = edge(1.01, 1e4);
  const theta = Array.from({ length: K }, (_, k) => tmin * spread ** (K === 1 ? 0 : k / (K - 1)));
  const prior = Array.from({ length: K }, () => 0.05 + u());
  const ps = prior.reduce((a, b) => a + b);
  const norm = (v) => {
    const f = v.map(X);
    const s = f.slice(0, -1).reduce((a, b) => a.add(b), P('0'));
    f[f.length - 1] = P('1').sub(s);
    return f;
  };
  const trans = Array.from({ length: K }, () => {
    const r = Array.from({ length: K }, () => (u() < 0.2 ? 0 : u()));
    r[0] += 0.01;
    const s = r.reduce((a, b) => a + b);
    return norm(r.map((x) => x / s));
  });
  const market = {
    theta: theta.map(X),
    prior: norm(prior.map((p) => p / ps)),
    transition: trans,
    a: X(edge(1e-2, 1e2)),
    beta: X(edge(1, 1e4)),
    delta: u() < 0.1 ? P('0') : X(edge(0.1, 1)),
    qMax: X(edge(1e-2, 1e2)),
    esCount: 10,
  };
  if (market.transition.some((r) => r.some((x) => x.s < 0n))) continue;
  try {
    checkFloatRanges(market);
  } catch {
    continue;
  }
  tried++;
  const t0 = performance.now();
  let out = 'ok';
  try {
    const r = await solveOptimum(market);
    if (r.gap > 1e-9) out = `GAP ${r.gap.toExponential(1)}`;
    const rep = await repairContract(market, r.exactContract);
    if (!isFeasibleExact(market, rep.contract)) out += ' REPAIR-INFEASIBLE';
  } catch (e) {
    out = `ERR ${e.message.slice(0, 70)}`;
  }
  const ms = performance.now() - t0;
  if (out !== 'ok' || ms > 3000) {
    bad++;
    console.log(
      out,
      `${ms.toFixed(0)}ms`,
      JSON.stringify({
        K,
        theta: market.theta.map((x) => x.valueOf().toPrecision(3)),
        a: market.a.valueOf(),
        beta: market.beta.valueOf(),
        delta: market.delta.valueOf(),
        qMax: market.qMax.valueOf(),
      }),
    );
  }
}
console.log('seed', seed, 'tried', tried, 'bad', bad);
