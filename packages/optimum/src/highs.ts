import type { Highs, Model } from 'highs';
import * as highsModule from 'highs';

type Loader = () => Promise<Highs>;

/**
 * highs ships CommonJS typings but an ES module build: TypeScript sees the loader as the default
 * export's `default`, Node's ESM loader as the default export itself. Accept both shapes.
 */
function loader(): Loader {
  const exported = (highsModule as unknown as { default: Loader | { default: Loader } }).default;
  return typeof exported === 'function' ? exported : exported.default;
}

let runtime: Promise<Highs> | undefined;

/** The HiGHS wasm runtime, loaded once per process and shared by every solve. */
export function highsRuntime(): Promise<Highs> {
  if (runtime === undefined) runtime = loader()();
  return runtime;
}

/** A dense-ish LP in row form: maximise cost . x subject to lower <= A x <= upper, bounds on x. */
export interface LinearProgram {
  colCost: number[];
  colLower: number[];
  colUpper: number[];
  rows: LinearRow[];
}

export interface LinearRow {
  lower: number;
  upper: number;
  indices: number[];
  values: number[];
}

/** Tight tolerances: the LP solution seeds an exact construction, so slack errors must stay tiny. */
export function configureModel(model: Model, tolerance: number): void {
  model.options.set({
    output_flag: false,
    presolve: 'off',
    solver: 'simplex',
    primal_feasibility_tolerance: tolerance,
    dual_feasibility_tolerance: tolerance,
    random_seed: 0,
  });
}

/** Creates a persistent HiGHS model (maximisation) for `lp`; the caller disposes it. */
export function createModel(highs: Highs, lp: LinearProgram, tolerance: number): Model {
  const starts = new Int32Array(lp.rows.length + 1);
  let nnz = 0;
  for (let r = 0; r < lp.rows.length; r++) {
    nnz += lp.rows[r]!.indices.length;
    starts[r + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (const row of lp.rows) {
    for (let e = 0; e < row.indices.length; e++) {
      indices[k] = row.indices[e]!;
      values[k++] = row.values[e]!;
    }
  }
  const inf = highs.infinity;
  const clamp = (v: number) =>
    v === Number.POSITIVE_INFINITY ? inf : v === Number.NEGATIVE_INFINITY ? -inf : v;
  const model = highs.createModel({
    numCols: lp.colCost.length,
    numRows: lp.rows.length,
    sense: highs.constants.objectiveSense.maximize,
    colCost: lp.colCost,
    colLower: lp.colLower.map(clamp),
    colUpper: lp.colUpper.map(clamp),
    rowLower: lp.rows.map((r) => clamp(r.lower)),
    rowUpper: lp.rows.map((r) => clamp(r.upper)),
    matrix: { format: 'csr', numRows: lp.rows.length, numCols: lp.colCost.length, starts, indices, values },
  });
  try {
    configureModel(model, tolerance);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

export type LpOutcome = 'optimal' | 'infeasible' | 'other';

export function runModel(highs: Highs, model: Model): LpOutcome {
  model.run();
  const status = model.getModelStatus();
  const codes = highs.constants.modelStatus;
  if (status === codes.optimal) return 'optimal';
  if (status === codes.infeasible) return 'infeasible';
  return 'other';
}
