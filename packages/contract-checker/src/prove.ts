import type { ExactContract, ExactMarket, Rational } from '@diffcontract/env';
import { exactValue } from '@diffcontract/env';
import type { Arith, Model } from 'z3-solver';
import type { Counterexample, FamilyMethod, FamilyResult } from './certificate.js';
import type { CheckOptions } from './config.js';
import type { Deviation, FamilyEncoding, Parameters } from './encode.js';
import { bestResponse, type DeviationIndex, evaluateDeviation, inBox, type Point } from './exact-gain.js';
import { fromBigints, fromDecimalString, toCoercible } from './rational.js';
import type { Z3Session } from './z3.js';

type A = Arith<'diffcontract'>;
type M = Model<'diffcontract'>;

/** z3 disagreed with the rational re-evaluation: a bug, never a property of the contract. */
export class CheckerInternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckerInternalError';
  }
}

export interface Subject {
  market: ExactMarket;
  contract: ExactContract;
}

interface Found {
  index: DeviationIndex;
  point: Point;
  lhs: Rational;
  rhs: Rational;
  gain: Rational;
  exact: boolean;
}

/**
 * Proves one family by refutation: asserts that some deviation gains (the disjunction of every
 * instance's negation) and asks z3. unsat is the proof; sat yields a counterexample, which on the
 * nominal market is then pushed to the worst one by asking for a strictly larger gain until z3
 * answers unsat.
 */
export async function refuteFamily(
  session: Z3Session,
  subject: Subject,
  params: Parameters,
  encoding: FamilyEncoding,
  method: FamilyMethod,
  instances: number,
  options: CheckOptions,
): Promise<FamilyResult> {
  const { ctx } = session;
  const started = performance.now();
  const solver = new ctx.Solver();
  solver.set('timeout', options.timeoutMs);
  if (options.resourceLimit > 0) solver.set('rlimit', options.resourceLimit);
  solver.add(...params.side, ...encoding.side);
  const positive = ctx.Or(...encoding.deviations.map((d) => d.gain.gt(0)));
  solver.add(positive);
  let queries = 1;
  const base = { family: encoding.family, method, instances } as const;
  const outcome = await solver.check();
  if (outcome === 'unsat') {
    return { ...base, status: 'proved', queries, timeMs: performance.now() - started };
  }
  if (outcome === 'unknown') {
    return {
      ...base,
      status: 'unknown',
      queries,
      timeMs: performance.now() - started,
      unknown: {
        reason: solver.reasonUnknown() || 'unknown',
        timeoutMs: options.timeoutMs,
        ...(options.resourceLimit > 0 ? { resourceLimit: options.resourceLimit } : {}),
      },
    };
  }
  let found = extract(session, subject, params, encoding, solver.model());
  let worst = false;
  if (params.robust === undefined) {
    for (let round = 0; round < options.maxGainRounds; round++) {
      const threshold = ctx.Real.val(toCoercible(found.gain));
      solver.add(ctx.Or(...encoding.deviations.map((d) => d.gain.gt(threshold))));
      queries++;
      const next = await solver.check();
      if (next === 'unsat') {
        worst = true;
        break;
      }
      if (next === 'unknown') break;
      found = extract(session, subject, params, encoding, solver.model());
    }
  }
  return {
    ...base,
    status: 'violated',
    queries,
    timeMs: performance.now() - started,
    counterexample: describe(subject, params, found, worst, options.decimalDigits),
  };
}

/** A model value as a rational: exact for rational numerals, else z3's 40-digit decimal rounding. */
function rationalOf(session: Z3Session, model: M, term: A): { value: Rational; exact: boolean } {
  const { ctx, low } = session;
  const v = model.eval(term, true);
  if (ctx.isRealVal(v)) {
    const { numerator, denominator } = v.value();
    return { value: fromBigints(numerator, denominator), exact: true };
  }
  return { value: fromDecimalString(low.get_numeral_decimal_string(ctx.ptr, v.ast, 40)), exact: false };
}

function pointOf(
  session: Z3Session,
  subject: Subject,
  params: Parameters,
  model: M,
): { point: Point; exact: boolean } {
  if (params.robust === undefined)
    return { point: { theta: subject.market.theta, a: subject.market.a }, exact: true };
  const a = rationalOf(session, model, params.robust.energy);
  const inverse = params.robust.inverse.map((s) => rationalOf(session, model, s));
  const point = { a: a.value, theta: inverse.map((s) => s.value.inverse()) };
  const exact = a.exact && inverse.every((s) => s.exact);
  return { point, exact: exact || inBox(subject.market, params.robust.eps, point) };
}

/** sigma of the IIC `all` encoding as z3 chose it: the first m whose utility the choice equals. */
function sigmaOf(session: Z3Session, encoding: FamilyEncoding, model: M, iPrime: number): number[] {
  const choice = encoding.choice![iPrime]!;
  const options = encoding.options![iPrime]!;
  return choice.map((c, j) => {
    const m = options[j]!.findIndex((u) => session.ctx.isTrue(model.eval(c.eq(u), true)));
    if (m < 0)
      throw new CheckerInternalError(`z3 model gives no period-2 report for choice[${iPrime}][${j}]`);
    return m;
  });
}

function indexOf(d: Deviation): DeviationIndex {
  const index: DeviationIndex = { family: d.family, i: d.i };
  if (d.j !== undefined) index.j = d.j;
  if (d.jPrime !== undefined) index.jPrime = d.jPrime;
  if (d.iPrime !== undefined) index.iPrime = d.iPrime;
  return index;
}

/**
 * Reads the violated instance off a model and recomputes it in rational arithmetic. Among the
 * instances the model violates, the one with the largest exact gain is kept.
 */
function extract(
  session: Z3Session,
  subject: Subject,
  params: Parameters,
  encoding: FamilyEncoding,
  model: M,
): Found {
  const { point, exact: pointExact } = pointOf(session, subject, params, model);
  let best: Found | undefined;
  let fallback: Found | undefined;
  for (const d of encoding.deviations) {
    if (!session.ctx.isTrue(model.eval(d.gain.gt(0), true))) continue;
    const index = indexOf(d);
    if (d.family === 'IIC' && encoding.choice !== undefined) {
      index.sigma =
        params.robust === undefined
          ? sigmaOf(session, encoding, model, d.iPrime!)
          : bestResponse(subject.contract, point, d.iPrime!);
    }
    const { lhs, rhs } = evaluateDeviation(subject.market, subject.contract, point, index);
    const gain = rhs.sub(lhs);
    if (params.robust === undefined) {
      const z3Gain = rationalOf(session, model, d.gain);
      if (!z3Gain.exact || !z3Gain.value.equals(gain)) {
        throw new CheckerInternalError(
          `${d.family} gain mismatch: z3 ${z3Gain.value.toFraction()} vs rational ${gain.toFraction()}`,
        );
      }
    }
    const candidate: Found = { index, point, lhs, rhs, gain, exact: pointExact };
    if (gain.s > 0n && gain.n !== 0n && pointExact) {
      if (best === undefined || gain.compare(best.gain) > 0) best = candidate;
    } else if (fallback === undefined) {
      // The rounded robust point no longer violates: report z3's approximations instead.
      const approx = rationalOf(session, model, d.gain).value;
      fallback = { ...candidate, gain: approx, rhs: lhs.add(approx), exact: false };
    }
  }
  const found = best ?? fallback;
  if (found === undefined)
    throw new CheckerInternalError(`${encoding.family}: sat model violates no instance`);
  return found;
}

function describe(
  subject: Subject,
  params: Parameters,
  found: Found,
  worst: boolean,
  digits: number,
): Counterexample {
  const { index } = found;
  const K = subject.market.theta.length;
  const isIdentity = (s: number[]) => s.every((v, j) => v === j);
  let deviation: string;
  let type: number;
  switch (index.family) {
    case 'IR1':
      type = index.i;
      deviation = `period-1 type ${index.i} refuses period1[${index.i}] (outside option 0)`;
      break;
    case 'IR2':
      type = index.j!;
      deviation = `after period-1 report ${index.i}, period-2 type ${index.j} refuses period2[${index.i}][${index.j}] (outside option 0)`;
      break;
    case 'IC2':
      type = index.j!;
      deviation = `after period-1 report ${index.i}, period-2 type ${index.j} reports ${index.jPrime}`;
      break;
    default: {
      type = index.i;
      const sigma = index.sigma ?? [...Array(K).keys()];
      const then = isIdentity(sigma)
        ? 'then reports truthfully'
        : `then reports sigma = [${sigma.join(', ')}] as period-2 types 0..${K - 1}`;
      deviation =
        index.iPrime === index.i
          ? `period-1 type ${index.i} reports truthfully, ${then}`
          : `period-1 type ${index.i} reports ${index.iPrime}, ${then}`;
    }
  }
  const cx: Counterexample = {
    family: index.family,
    type,
    i: index.i,
    deviation,
    truthful: exactValue(found.lhs, digits),
    deviating: exactValue(found.rhs, digits),
    gain: exactValue(found.gain, digits),
    worst,
    exact: found.exact,
  };
  if (index.j !== undefined) cx.j = index.j;
  if (index.jPrime !== undefined) cx.jPrime = index.jPrime;
  if (index.iPrime !== undefined) cx.iPrime = index.iPrime;
  if (index.sigma !== undefined) cx.sigma = index.sigma;
  if (params.robust !== undefined) {
    cx.perturbed = {
      theta: found.point.theta.map((t) => exactValue(t, digits)),
      a: exactValue(found.point.a, digits),
    };
  }
  return cx;
}
