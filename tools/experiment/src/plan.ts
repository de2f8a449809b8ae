/**
 * The experiment's design: which training runs exist in each mode and the config file each one gets.
 * Pure (no I/O), so the plan and the generated configs are tested directly.
 *
 * Comparison: EDMSAC, DMSAC and Gaussian SAC in the allocation formulation (model.md section 6.1: the
 * policy chooses q, an exact LP pays the cheapest rewards) on the same budget and the same seeds (seed
 * s of every algorithm trains on the same market stream, so results pair by seed). EDMSAC and DMSAC
 * also train in the paper-style contract formulation (section 6.2) on the same environment steps, with
 * that formulation's learner settings. Sweeps vary EDMSAC's pruning rate rho_p and the number of
 * denoising steps T (allocation formulation); their points that coincide with a comparison
 * configuration reuse those runs instead of training them again:
 *   - rho_p = `edmsacRatio` (0.1) and T = 5 is the comparison's EDMSAC;
 *   - rho_p = 0 masks no neuron, which is DMSAC, so that point is the comparison's DMSAC.
 * The random allocation, the random contract and the exact optimum need no training (baseline.ts).
 */

export type Mode = 'smoke' | 'reduced' | 'full';
export const MODES: readonly Mode[] = ['smoke', 'reduced', 'full'];
export type Algo = 'edmsac' | 'dmsac' | 'sac';
export const ALGOS: readonly Algo[] = ['edmsac', 'dmsac', 'sac'];
/** What the policy's action is (model.md section 6): the allocation, priced by an LP, or every number */
export type Formulation = 'allocation' | 'contract';

/**
 * The learner's settings in one formulation, written into each run's config file. The allocation
 * ones are the training app's `default` preset (exact LP gradient for the actor, 16 candidates at
 * delivery); the contract ones are the paper-style setting the app's `paper` preset uses (critic-only
 * actor, model.md's actor lr, symlog rewards), with 8 critic steps per actor step.
 */
export interface Learner {
  updatesPerStep: number;
  actorEvery: number;
  actorLr: number;
  exactGradient: number;
  rewardTransform: 'none' | 'symlog';
  candidates: number;
}

export interface Design {
  mode: Mode;
  /** seeds of the comparison (every algorithm, and the random contract) */
  seeds: number[];
  /** seeds of the sweep points that need runs of their own */
  sweepSeeds: number[];
  /** seeds of EDMSAC and DMSAC in the contract formulation */
  contractSeeds: number[];
  /** environment steps (16 markets each), of which `warmupSteps` act randomly and do not update */
  steps: number;
  warmupSteps: number;
  marketsPerStep: number;
  /** SAC updates per step after the warm-up, actor step frequency, lr, ... per formulation */
  learners: Record<Formulation, Learner>;
  /** metrics (probe) line every `logEvery` steps; checkpoint every `checkpointEvery` steps */
  logEvery: number;
  checkpointEvery: number;
  probeSize: number;
  /** prefix of the fixed evaluation set every policy is evaluated on */
  evalMarkets: number;
  certify: boolean;
  /** EDMSAC of the comparison: rho_p, mask recomputation interval (updates), ramp share */
  edmsacRatio: number;
  pruneEvery: number;
  rampShare: number;
  denoisingSteps: number;
  rhoValues: number[];
  stepValues: number[];
  /** rho_p of the EDMSAC actors timed dense vs compacted, on how many contracts, how many repetitions */
  speedRatios: number[];
  speedContracts: number;
  speedRepetitions: number;
  /** minibatch size and replay capacity when not the training app's defaults (the smoke grid) */
  batchSize?: number;
  bufferCapacity?: number;
}

const LEARNERS: Record<Formulation, Learner> = {
  allocation: {
    updatesPerStep: 4,
    actorEvery: 4,
    actorLr: 1e-3,
    exactGradient: 1,
    rewardTransform: 'none',
    candidates: 16,
  },
  contract: {
    updatesPerStep: 8,
    actorEvery: 8,
    actorLr: 1e-4,
    exactGradient: 0,
    rewardTransform: 'symlog',
    candidates: 1,
  },
};

// Exploration noise 0.2 -> 0.05 and penalty lambda 5 (the app's defaults) in both formulations.
const COMMON = {
  marketsPerStep: 16,
  learners: LEARNERS,
  certify: true,
  edmsacRatio: 0.1,
  rampShare: 0.3,
  denoisingSteps: 5,
  rhoValues: [0, 0.1, 0.2, 0.3, 0.5],
  stepValues: [3, 5, 8],
  speedRatios: [0.1, 0.3, 0.5],
  speedContracts: 2000,
  speedRepetitions: 25,
};

export const DESIGNS: Readonly<Record<Mode, Design>> = {
  // A few seconds per run, 3 runs (one seed of each algorithm): for trying the queue (a Redis and
  // workers) and for the tests, not for conclusions (one seed gives no intervals). Every code path of
  // the other modes runs (pruning ramp, checkpoints mid-run, sweeps, certification, the speed timing),
  // on toy sizes.
  smoke: {
    ...COMMON,
    mode: 'smoke',
    seeds: [0],
    sweepSeeds: [],
    contractSeeds: [0],
    steps: 24,
    warmupSteps: 4,
    marketsPerStep: 8,
    learners: {
      allocation: { ...LEARNERS.allocation, updatesPerStep: 2, actorEvery: 2, candidates: 2 },
      contract: { ...LEARNERS.contract, updatesPerStep: 2, actorEvery: 2 },
    },
    logEvery: 4,
    checkpointEvery: 4,
    probeSize: 4,
    evalMarkets: 3,
    pruneEvery: 8,
    // rho_p 0 and 0.1 are the comparison's runs, so the sweeps add none; the speed timing uses the
    // comparison's EDMSAC policies.
    rhoValues: [0, 0.1],
    stepValues: [5],
    speedRatios: [0.1],
    speedContracts: 50,
    speedRepetitions: 3,
    batchSize: 32,
    bufferCapacity: 256,
  },
  // 330 environment steps per run (1200 updates in the allocation formulation), 31 runs: for a first
  // look on one machine, not near the optimum.
  reduced: {
    ...COMMON,
    mode: 'reduced',
    seeds: [0, 1, 2, 3, 4],
    sweepSeeds: [0, 1],
    contractSeeds: [0, 1, 2],
    steps: 330,
    warmupSteps: 30,
    logEvery: 30,
    checkpointEvery: 110,
    probeSize: 16,
    evalMarkets: 20,
    pruneEvery: 100,
  },
  // Where the claim can be tested: 2000 environment steps (7800 updates, 1950 actor steps in the
  // allocation formulation), at which DMSAC's delivered contracts are above 0.95 of U* (its probe
  // ratio passes 0.95 near step 1000 of the app's default run), on all 100 evaluation markets, 31
  // runs: about 70 minutes with two workers on the 2-core machine (docs/results/README.md).
  full: {
    ...COMMON,
    mode: 'full',
    seeds: [0, 1, 2, 3, 4],
    sweepSeeds: [0, 1],
    contractSeeds: [0, 1, 2],
    steps: 2000,
    warmupSteps: 50,
    logEvery: 100,
    checkpointEvery: 500,
    probeSize: 32,
    evalMarkets: 100,
    pruneEvery: 100,
  },
};

/** main: the comparison (allocation); contract: EDMSAC and DMSAC in the contract formulation */
export type Group = 'main' | 'contract' | 'rho' | 'steps';

export interface RunSpec {
  /** directory name under the runs folder, e.g. `edmsac-s0`, `edmsac-rho0.3-s1`, `dmsac-contract-s2` */
  id: string;
  group: Group;
  algo: Algo;
  formulation: Formulation;
  seed: number;
  /** rho_p (0 for dmsac and sac) */
  ratio: number;
  denoisingSteps: number;
}

export function runId(
  algo: Algo,
  seed: number,
  ratio: number,
  steps: number,
  design: Design,
  formulation: Formulation = 'allocation',
): string {
  const parts: string[] = [algo];
  if (algo === 'edmsac' && ratio !== design.edmsacRatio) parts.push(`rho${ratio}`);
  if (algo !== 'sac' && steps !== design.denoisingSteps) parts.push(`T${steps}`);
  if (formulation === 'contract') parts.push('contract');
  parts.push(`s${seed}`);
  return parts.join('-');
}

/**
 * Every training run of the design, comparison first (seed by seed, so an interrupted experiment has
 * complete pairs), then the sweep points that are not comparison runs.
 */
export function planRuns(design: Design): RunSpec[] {
  const runs: RunSpec[] = [];
  const add = (group: Group, algo: Algo, seed: number, ratio: number, steps: number) => {
    const formulation: Formulation = group === 'contract' ? 'contract' : 'allocation';
    runs.push({
      id: runId(algo, seed, ratio, steps, design, formulation),
      group,
      algo,
      formulation,
      seed,
      ratio,
      denoisingSteps: steps,
    });
  };
  for (const seed of design.seeds) {
    for (const algo of ALGOS)
      add('main', algo, seed, algo === 'edmsac' ? design.edmsacRatio : 0, design.denoisingSteps);
  }
  for (const seed of design.contractSeeds) {
    add('contract', 'edmsac', seed, design.edmsacRatio, design.denoisingSteps);
    add('contract', 'dmsac', seed, 0, design.denoisingSteps);
  }
  for (const seed of design.sweepSeeds) {
    for (const rho of design.rhoValues) {
      if (rho === 0 || rho === design.edmsacRatio) continue;
      add('rho', 'edmsac', seed, rho, design.denoisingSteps);
    }
    for (const T of design.stepValues) {
      if (T === design.denoisingSteps) continue;
      add('steps', 'edmsac', seed, design.edmsacRatio, T);
    }
  }
  return runs;
}

/** Runs that make up one sweep point (comparison runs where the point coincides with one). */
export function sweepPointRuns(
  runs: readonly RunSpec[],
  design: Design,
  sweep: 'rho' | 'steps',
  value: number,
): RunSpec[] {
  const allocation = runs.filter((r) => r.formulation === 'allocation');
  if (sweep === 'rho') {
    if (value === 0) return allocation.filter((r) => r.group === 'main' && r.algo === 'dmsac');
    return allocation.filter(
      (r) => r.algo === 'edmsac' && r.ratio === value && r.denoisingSteps === design.denoisingSteps,
    );
  }
  return allocation.filter(
    (r) => r.algo === 'edmsac' && r.denoisingSteps === value && r.ratio === design.edmsacRatio,
  );
}

/**
 * The config file of one run (merged by the training app onto its `default` preset). Every key the
 * experiment depends on is written out, so a change of the app's defaults cannot change the design
 * silently; the resolved config each run records is in its run directory.
 */
export function trainConfigFile(spec: RunSpec, design: Design): Record<string, unknown> {
  const learner = design.learners[spec.formulation];
  return {
    algo: spec.algo,
    seed: spec.seed,
    backend: 'wasm',
    environment: { action: spec.formulation, penalty: 5, rewardTransform: learner.rewardTransform },
    sac: {
      actorLr: learner.actorLr,
      actorEvery: learner.actorEvery,
      exactGradient: learner.exactGradient,
      ...(design.batchSize === undefined ? {} : { batchSize: design.batchSize }),
      ...(design.bufferCapacity === undefined ? {} : { bufferCapacity: design.bufferCapacity }),
    },
    actor: { denoisingSteps: spec.denoisingSteps },
    exploration: { noise: 0.2, noiseFinal: 0.05 },
    budget: {
      steps: design.steps,
      marketsPerStep: design.marketsPerStep,
      updatesPerStep: learner.updatesPerStep,
      warmupSteps: design.warmupSteps,
    },
    logging: {
      logEvery: design.logEvery,
      checkpointEvery: design.checkpointEvery,
      probeSize: design.probeSize,
    },
    pruning: {
      strategy: spec.algo === 'edmsac' ? 'magnitude' : 'none',
      rho: spec.algo === 'edmsac' ? spec.ratio : 0,
      pruneEvery: design.pruneEvery,
      rampShare: design.rampShare,
    },
    evaluation: { certify: design.certify, markets: design.evalMarkets, candidates: learner.candidates },
  };
}

/** SAC updates of one run. */
export function updatesPerRun(design: Design, formulation: Formulation = 'allocation'): number {
  return (design.steps - design.warmupSteps) * design.learners[formulation].updatesPerStep;
}
