/**
 * The compacted export of a pruned (EDMSAC) policy: the same policy with its masked hidden units
 * physically removed (@diffcontract/pruning's compactNetwork: kernel columns, biases and outgoing
 * rows dropped), written beside the dense policy as `policy-compact.json` + `.bin`. It computes the
 * masked actor's actions to float32 rounding with fewer FLOPs per denoising step.
 *
 * Format: the same diffcontract-weights artefact as `policy` (kind `diffusion`), without `mask.i`
 * tensors, with `config.hidden` set to the kept widths of eps_theta. The time MLP's hidden width is
 * read from the tensor shapes. Load it with diffusion-actor's `ActorInference` (shapes, not config,
 * give the widths) or `DiffusionActor` (which pads a pruned time MLP back to its fixed width with
 * masked zero units).
 */
import { actorUnitsOfArtefact, compactedArtefact, type WeightsArtefact } from '@diffcontract/diffusion-actor';
import { compactNetwork, groupWidths } from '@diffcontract/pruning';

/** What timing.json records about the compacted actor. */
export interface CompactSummary {
  /** FLOPs of one denoising step's eps_theta evaluation (pruning's FLOP convention) */
  flopsPerStep: { dense: number; compacted: number };
  parameters: { dense: number; compacted: number };
  /** hidden widths in setUnitMasks order (time hidden, then eps_theta's hidden layers) */
  widths: { dense: number[]; compacted: number[] };
}

/** The policy with its masked units removed, or null when it carries no masks. */
export function compactPolicy(
  artefact: WeightsArtefact,
): { artefact: WeightsArtefact; summary: CompactSummary } | null {
  const units = actorUnitsOfArtefact(artefact);
  if (!units.masks) return null;
  const result = compactNetwork(units, units.masks);
  return {
    artefact: compactedArtefact(artefact, result.network),
    summary: {
      flopsPerStep: { dense: result.flops.before, compacted: result.flops.after },
      parameters: { dense: result.parameters.before, compacted: result.parameters.after },
      widths: { dense: groupWidths(units), compacted: groupWidths(result.network) },
    },
  };
}
