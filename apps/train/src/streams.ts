/**
 * Seeds of the run's independent random streams, all derived from the one config seed. Each stream
 * is a separate generator whose state is checkpointed (or, for the environment, replayed), so a
 * resumed run draws exactly what an uninterrupted run would have drawn.
 */

/** Stream identifiers; fixed forever (changing one changes every run's numbers). */
export const STREAM = { environment: 1, replay: 2, explore: 3, weights: 4, agent: 5, taylor: 6 } as const;

/**
 * Seed of the fixed probe markets that metrics lines report on: the same for every run and seed,
 * so learning curves of different runs are comparable; distinct from the evaluation set's seed.
 */
export const PROBE_SEED = 0x0b5e_7e57;

/** A 32-bit seed for `stream` of a run with `seed` (murmur3's finaliser over both, well mixed). */
export function streamSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
