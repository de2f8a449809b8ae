// A strict TypeScript consumer of the installed tarballs (tsconfig.json here: strict, skipLibCheck
// false, lib.dom on). It type-checks the frictions of issue 14 without casts and writes the dense
// and compacted policies the tfjs-free project loads.
import { writeFileSync } from 'node:fs';
import { type Certificate, checkContract, shutdownZ3 } from '@diffcontract/contract-checker';
import {
  compactedArtefact,
  createDiffusionActor,
  createNoise,
  DiffusionActor,
  saveArtefact,
} from '@diffcontract/diffusion-actor';
import { ActorInference, loadArtefact, type WeightsArtefact } from '@diffcontract/diffusion-actor/inference';
import {
  type ContractFile,
  decodeAction,
  evaluationSet,
  formatContractFile,
  type Market,
  parseModelText,
  readModelFile,
} from '@diffcontract/env';
import { repairContract, solveOptimum } from '@diffcontract/optimum';
import { compactNetwork, type PrunableNetwork } from '@diffcontract/pruning';
import { setBackend } from '@diffcontract/sac';
import * as tf from '@tensorflow/tfjs';

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`consumer: ${what}`);
}

// A contract file's contract is not optional once the file is known to be a contract file.
const file: ContractFile = readModelFile('contract-k3.json', { expect: 'contract' });
const certificate: Certificate = await checkContract(file.market, file.contract);
check(certificate.verdict === 'certified', `example contract ${certificate.verdict}`);
// A certificate goes into a contract file as it is.
const text = formatContractFile({ market: file.market, contract: file.contract, certificate });
check(
  parseModelText(text, 'certified.json', { expect: 'contract' }).certificate !== undefined,
  'certificate kept',
);

// One number convention: float markets and contracts go where exact ones do.
const market: Market<number> = evaluationSet()[0]!;
const optimum = await solveOptimum(market);
const raw = decodeAction(market, new Float32Array(24).fill(-0.5));
const repaired = await repairContract(market, raw);
const proof = await checkContract(market, repaired.contract);
check(proof.verdict === 'certified', `repaired float contract ${proof.verdict}`);
check(repaired.cloudUtility <= optimum.upperBound, 'repair below the optimum');
await shutdownZ3();

// The tfjs actor on the shared wasm backend; its variables go straight into tf.variableGrads.
await setBackend('wasm');
const actor: DiffusionActor = createDiffusionActor({
  stateDim: 18,
  actionDim: 24,
  hidden: [64, 64],
  seed: 3,
});
const states = tf.tensor2d(new Float32Array(2 * 18).fill(0.5), [2, 18]);
const { grads } = tf.variableGrads(
  () => tf.mean(actor.sample(states, createNoise(3)).actions),
  actor.variables,
);
check(Object.keys(grads).length === actor.variables.length, 'a gradient per variable');

// A pruned actor, its dense artefact (with masks) and its compacted export: the actor's own
// description of its units is a pruning network as it is (structural types, no glue).
const keep = (n: number, every: number) =>
  Float32Array.from({ length: n }, (_, i) => (i % every === 1 ? 0 : 1));
actor.setUnitMasks([keep(32, 4), keep(64, 3), keep(64, 5)]);
const dense: WeightsArtefact = actor.toArtefact();
const masks = [0, 1, 2].map((i) => Uint8Array.from(actor.unitGates()[i]!));
const units: PrunableNetwork = actor.prunableUnits();
const compacted = compactNetwork(units, masks);
const packed = compactedArtefact(dense, compacted.network);
saveArtefact('policy', dense);
saveArtefact('policy-compact', packed);

// The compacted policy loads wherever a policy loads: the tfjs actor and the tfjs-free inference.
const reloaded = DiffusionActor.fromArtefact(loadArtefact('policy-compact'));
const s = new Float32Array(4 * 18).map((_, i) => Math.sin(i));
const a1 = actor.act(s, createNoise(9), true);
const a2 = reloaded.act(s, createNoise(9), true);
const a3 = new ActorInference(loadArtefact('policy-compact')).act(s, createNoise(9), true);
const gap = (x: Float32Array, y: Float32Array) => Math.max(...x.map((v, i) => Math.abs(v - y[i]!)));
check(
  gap(a1, a2) < 1e-5 && gap(a1, a3) < 1e-5,
  `compacted policy acts differently (${gap(a1, a2)}, ${gap(a1, a3)})`,
);
writeFileSync('policy-actions.json', JSON.stringify(Array.from(a1)));
console.log('strict TypeScript consumer: ok');
