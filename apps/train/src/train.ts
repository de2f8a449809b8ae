/**
 * The training loop, top to bottom (in the spirit of CleanRL's single-file scripts):
 *
 *   setup    backend, environment, actor + SAC agent, replay buffer, random streams, probe markets
 *   resume   restore the newest checkpoint (weights, optimiser state, replay, every stream)
 *   loop     per environment step: sample markets, act, score, store, update (and prune), then a
 *            metrics line every `logEvery` steps and a checkpoint every `checkpointEvery` steps
 *   finish   save the policy, evaluate it on the evaluation set (repair, certify), write the report
 *
 * Reproducibility: every random draw comes from a stream seeded from `config.seed` (streams.ts).
 * The agent's, the replay sampler's and the exploration streams are checkpointed; the environment's
 * stream is replayed on resume (its resets draw a fixed amount of randomness, stepping draws none),
 * so a resumed run continues bit for bit.
 */
import { basename, join } from 'node:path';
import {
  createNoise,
  type NoiseState,
  saveArtefact,
  type WeightsManifest,
} from '@diffcontract/diffusion-actor';
import { sampleMarkets } from '@diffcontract/env';
import { type EvalReport, Probe, type ProbeFigures } from '@diffcontract/evaluation';
import {
  type Actor,
  actors,
  allocateBatch,
  createSacAgent,
  type Environment,
  environments,
  ReplayBuffer,
  type SacAgent,
  setBackend,
} from '@diffcontract/sac';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { type CompactSummary, compactPolicy } from './compact-export.js';
import type { TrainConfig } from './config.js';
import { UsageError } from './config-load.js';
import { registerBuiltinEnvironments } from './environments.js';
import { evaluateRun } from './evaluate-run.js';
import { addExplorationNoise, explorationStd } from './exploration.js';
import { createProgress, type Io } from './progress.js';
import { type ActorPruner, createActorPruner } from './pruning-hook.js';
import { type RunTiming, writeReport } from './report.js';
import {
  appendMetrics,
  type MetricsLine,
  RUN_FILES,
  readMetrics,
  truncateMetrics,
  writeJson,
} from './rundir.js';
import { PROBE_SEED, STREAM, streamSeed } from './streams.js';

export interface TrainOptions {
  config: TrainConfig;
  runDir: string;
  io: Io;
  /** continue from the newest checkpoint in runDir */
  resume?: boolean;
  /** graceful stop (Ctrl-C): checkpoint after the current step and return */
  signal?: AbortSignal;
  /** test hook: abandon the run right after this environment step, as a kill would (no checkpoint) */
  crashAfterStep?: number;
  /** clock in milliseconds (tests may fix it) */
  now?: () => number;
}

export interface TrainResult {
  status: 'finished' | 'stopped' | 'crashed';
  /** environment steps completed */
  step: number;
  /** wall time of the training loop and evaluation, summed over resumed sessions */
  wallSeconds: number;
  evaluation?: EvalReport;
  backend: string;
}

/** What a checkpoint's state.json holds besides the binary blobs. */
interface LoopState {
  agentManifest: WeightsManifest;
  replay: { capacity: number; size: number; next: number };
  replayNoise: NoiseState;
  exploreNoise: NoiseState;
  window: { rewardSum: number; rewardCount: number };
  elapsedSeconds: number;
  pruner: unknown;
}

/** Kind-specific actor options from the config (the factory validates them). */
export function actorOptions(c: TrainConfig): Record<string, unknown> {
  const { hidden } = c.actor;
  if (c.actor.name === 'diffusion') return { hidden, steps: c.actor.denoisingSteps, ...c.actor.options };
  if (c.actor.name === 'gaussian') return { hidden, ...c.actor.options };
  return { ...c.actor.options };
}

/** Plugin errors (unknown actor, bad actor option) are configuration mistakes: exit 2. */
function asUsage<T>(what: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    throw new UsageError(`${what}: ${(e as Error).message}`);
  }
}

/** SAC updates of a whole run (the pruning ramp is laid out over them). */
export function totalUpdates(c: TrainConfig): number {
  return Math.max(0, c.budget.steps - c.budget.warmupSteps) * c.budget.updatesPerStep;
}

export interface RunParts {
  env: Environment;
  agent: SacAgent;
  /** EDMSAC's pruning hook; null when the run does not prune */
  pruner: ActorPruner | null;
}

/**
 * The environment (seeded with `envSeed`), actor, SAC agent and pruning hook a config describes,
 * resolved through the plugin registries; a plugin error (unknown name, bad option) is a
 * UsageError. The training loop and `critic` (critic-check.ts) build their runs with it.
 */
export function createRunParts(c: TrainConfig, envSeed: number): RunParts {
  registerBuiltinEnvironments();
  const envFactory = asUsage('environment.name', () => environments.get(c.environment.name));
  const env = envFactory({
    seed: envSeed,
    action: c.environment.action,
    penalty: c.environment.penalty,
    scale: c.environment.scale,
    rewardTransform: c.environment.rewardTransform,
  });
  const actorFactory = asUsage('actor.name', () => actors.get(c.actor.name));
  const actor: Actor = asUsage('actor', () =>
    actorFactory.create(
      { stateDim: env.stateDim, actionDim: env.actionDim, seed: streamSeed(c.seed, STREAM.weights) },
      actorOptions(c),
    ),
  );
  const actionGradient = env.actionGradient?.bind(env);
  const agent = asUsage('sac', () =>
    createSacAgent({ ...c.sac, seed: streamSeed(c.seed, STREAM.agent) }, actor, { actionGradient }),
  );
  try {
    return { env, agent, pruner: createActorPruner(c, agent, totalUpdates(c)) };
  } catch (e) {
    agent.dispose();
    throw e;
  }
}

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { config: c, runDir, io } = opts;
  const now = opts.now ?? (() => performance.now());
  const sessionStart = now();

  // ---- setup -------------------------------------------------------------------------------
  const backend = await setBackend(c.backend);
  const { env, agent, pruner } = createRunParts(c, streamSeed(c.seed, STREAM.environment));
  const S = env.stateDim;
  const A = env.actionDim;
  try {
    let replay = new ReplayBuffer({ capacity: c.sac.bufferCapacity, stateDim: S, actionDim: A });
    const replayNoise = createNoise(streamSeed(c.seed, STREAM.replay));
    const exploreNoise = createNoise(streamSeed(c.seed, STREAM.explore));
    const batch = allocateBatch(c.sac.batchSize, S, A);
    const M = c.budget.marketsPerStep;

    const probe = await Probe.create(
      sampleMarkets(PROBE_SEED, c.logging.probeSize),
      join(runDir, RUN_FILES.optimum),
      c.environment.action,
      c.environment.penalty,
    );

    let step = 0;
    let elapsedBefore = 0;
    let rewardSum = 0;
    let rewardCount = 0;

    // ---- resume ------------------------------------------------------------------------------
    if (opts.resume) {
      const cp = loadCheckpoint<LoopState>(join(runDir, RUN_FILES.checkpoints));
      if (cp) {
        const s = cp.state;
        agent.loadState({ manifest: s.agentManifest, values: cp.blobs.agent as Float32Array });
        replay = ReplayBuffer.fromSnapshot({
          ...s.replay,
          stateDim: S,
          actionDim: A,
          states: cp.blobs['replay-states'] as Float32Array,
          actions: cp.blobs['replay-actions'] as Float32Array,
          rewards: cp.blobs['replay-rewards'] as Float32Array,
        });
        replayNoise.restore(s.replayNoise);
        exploreNoise.restore(s.exploreNoise);
        pruner?.restore(s.pruner);
        rewardSum = s.window.rewardSum;
        rewardCount = s.window.rewardCount;
        elapsedBefore = s.elapsedSeconds;
        step = cp.step;
        // The environment's stream is replayed rather than stored: same resets, same draws.
        for (let k = 0; k < step; k++) env.reset(M);
      }
      truncateMetrics(runDir, step);
    }

    const checkpoint = () => {
      const snap = replay.snapshot();
      const agentState = agent.saveState();
      const state: LoopState = {
        agentManifest: agentState.manifest,
        replay: { capacity: snap.capacity, size: snap.size, next: snap.next },
        replayNoise: replayNoise.state(),
        exploreNoise: exploreNoise.state(),
        window: { rewardSum, rewardCount },
        elapsedSeconds: elapsedBefore + (now() - sessionStart) / 1000,
        pruner: pruner?.state() ?? null,
      };
      saveCheckpoint(join(runDir, RUN_FILES.checkpoints), {
        step,
        state,
        blobs: {
          agent: agentState.values,
          'replay-states': snap.states,
          'replay-actions': snap.actions,
          'replay-rewards': snap.rewards,
        },
      });
    };

    // ---- loop --------------------------------------------------------------------------------
    const progress = createProgress(io.stderr, `train ${c.algo}`, now);
    progress.start(c.budget.steps, step);
    let intervalStart = now();
    let intervalUpdates = 0;
    let status: TrainResult['status'] = 'finished';
    while (step < c.budget.steps) {
      // 1. act: uniformly random contracts during warm-up, the policy's samples afterwards
      const states = env.reset(M);
      const warm = step < c.budget.warmupSteps;
      let actions: Float32Array;
      if (warm) {
        actions = new Float32Array(M * A);
        for (let k = 0; k < actions.length; k++) actions[k] = 2 * exploreNoise.nextFloat() - 1;
      } else {
        actions = agent.act(states);
        addExplorationNoise(actions, explorationStd(c, step), exploreNoise);
      }
      // 2. score and store (one-step episodes: no next state, no done flag)
      const { reward } = env.step(actions);
      replay.add(states, actions, reward);
      for (let k = 0; k < reward.length; k++) rewardSum += reward[k]!;
      rewardCount += reward.length;
      // 3. learn
      if (!warm) {
        for (let u = 0; u < c.budget.updatesPerStep; u++) {
          replay.sample(replayNoise, batch);
          agent.update(batch);
          pruner?.afterUpdate(agent.updates, batch);
          intervalUpdates++;
        }
      }
      step++;

      // 4. log, checkpoint
      const logged = step % c.logging.logEvery === 0 || step === c.budget.steps;
      let probeNow: ProbeFigures | undefined;
      if (logged) {
        const m = agent.metrics();
        probeNow = await probe.measure(agent.act(probe.states, { deterministic: true }));
        const t = now();
        const line: MetricsLine = {
          step,
          updates: agent.updates,
          meanReward: rewardSum / Math.max(1, rewardCount),
          criticLoss: m.criticLoss,
          actorLoss: m.actorLoss,
          alpha: m.alpha,
          entropy: m.entropy,
          meanQ: m.meanQ,
          probeRatio: probeNow.ratio,
          probeViolation: probeNow.violation,
          probeFeasible: probeNow.feasible,
          probeRatioRepaired: probeNow.ratioRepaired,
          prunedShare: pruner?.prunedShare() ?? 0,
          updatesPerSec: intervalUpdates / Math.max(1e-9, (t - intervalStart) / 1000),
          elapsedSeconds: elapsedBefore + (t - sessionStart) / 1000,
        };
        appendMetrics(runDir, line);
        rewardSum = 0;
        rewardCount = 0;
        intervalStart = t;
        intervalUpdates = 0;
      }
      progress.update(step, probeNow ? { ratio: probeNow.ratio, violation: probeNow.violation } : {}, logged);
      if (opts.crashAfterStep === step) {
        status = 'crashed';
        break;
      }
      const stopping = opts.signal?.aborted === true;
      if (step % c.logging.checkpointEvery === 0 || step === c.budget.steps || stopping) checkpoint();
      if (stopping) {
        status = 'stopped';
        break;
      }
    }
    progress.stop();
    const loopSeconds = elapsedBefore + (now() - sessionStart) / 1000;
    if (status !== 'finished') return { status, step, wallSeconds: loopSeconds, backend: backend.name };

    // ---- finish ------------------------------------------------------------------------------
    const policy = agent.actor.toArtefact();
    saveArtefact(join(runDir, RUN_FILES.policy), policy);
    // EDMSAC: the pruned policy with its masked units removed (same actions, fewer FLOPs per step).
    const compact = agent.actor.kind === 'diffusion' ? compactPolicy(policy) : null;
    if (compact) saveArtefact(join(runDir, RUN_FILES.policyCompact), compact.artefact);
    const evaluation = await evaluateRun({ runDir, config: c, actor: agent.actor, io });
    const timing: RunTiming & { compactActor?: CompactSummary } = {
      loopSeconds,
      wallSeconds: elapsedBefore + (now() - sessionStart) / 1000,
      backend: backend.name,
      threads: backend.threads ?? 1,
      ...(compact ? { compactActor: compact.summary } : {}),
    };
    writeJson(join(runDir, RUN_FILES.timing), timing);
    writeReport(runDir, {
      runName: basename(runDir),
      config: c,
      metrics: readMetrics(runDir),
      evaluation,
      timing,
    });
    return { status, step, wallSeconds: timing.wallSeconds, evaluation, backend: backend.name };
  } finally {
    agent.dispose();
  }
}
