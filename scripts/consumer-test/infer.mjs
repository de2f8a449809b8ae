// Inference-only project (no tfjs installed): generate contracts from the dense and the compacted
// policy the strict consumer saved, and check they are the tfjs actor's actions.
import { readFileSync } from 'node:fs';
import { ActorInference, createNoise, loadArtefact } from '@diffcontract/diffusion-actor/inference';
import { cloudUtility, decodeAction, encodeState, evaluationSet, violation } from '@diffcontract/env';

const expected = JSON.parse(readFileSync('policy-actions.json', 'utf8'));
const s = new Float32Array(4 * 18).map((_, i) => Math.sin(i));
for (const name of ['policy', 'policy-compact']) {
  const actions = new ActorInference(loadArtefact(name)).act(s, createNoise(9), true);
  const gap = Math.max(...actions.map((v, i) => Math.abs(v - expected[i])));
  if (!(gap < 1e-5)) throw new Error(`${name}: actions differ from the tfjs actor's by ${gap}`);
}
const market = evaluationSet()[0];
const policy = new ActorInference(loadArtefact('policy-compact'));
const contract = decodeAction(market, policy.act(encodeState(market), createNoise(1)));
console.log(
  'inference only: U/N',
  (cloudUtility(market, contract) / market.esCount).toFixed(4),
  'violation',
  violation(market, contract).toFixed(4),
);
try {
  await import('@diffcontract/diffusion-actor');
  throw new Error('the tfjs entry loaded although tfjs is not installed');
} catch (error) {
  if (!/@tensorflow\/tfjs/.test(String(error))) throw error;
}
