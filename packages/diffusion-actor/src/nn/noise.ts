/**
 * Seeded standard-normal noise. All randomness of sampling goes through a NoiseSource so that a run
 * is reproducible from its seed and can be checkpointed mid-run (`state()` / `restore()`).
 *
 * The generator is xoshiro128** (32-bit, fast in JS) with the polar Box-Muller transform; it never
 * touches tfjs's global RNG, so results do not depend on which tensors other code creates.
 */
export interface NoiseSource {
  /** Fills `out` with i.i.d. N(0, 1) draws and returns it. */
  fill(out: Float32Array): Float32Array;
  /** A fresh Float32Array of `n` N(0, 1) draws. */
  normals(n: number): Float32Array;
  /** Uniform integer in [0, n), for replay sampling and similar. */
  nextInt(n: number): number;
  /** Uniform in [0, 1). */
  nextFloat(): number;
  /** Serialisable generator state (restoring it replays the exact same stream). */
  state(): NoiseState;
  restore(state: NoiseState): void;
}

export interface NoiseState {
  s: [number, number, number, number];
  /** cached second normal of the polar transform, or null */
  spare: number | null;
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

class Xoshiro128Noise implements NoiseSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`noise seed must be an integer (${seed})`);
    const sm = splitmix32(seed ^ Math.floor(seed / 0x100000000));
    this.s0 = sm();
    this.s1 = sm();
    this.s2 = sm();
    this.s3 = sm();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  private nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  nextFloat(): number {
    // 32 random bits are plenty for float32 noise and replay indices.
    return this.nextU32() / 4294967296;
  }

  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  private normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextFloat() - 1;
      v = 2 * this.nextFloat() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  fill(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  normals(n: number): Float32Array {
    return this.fill(new Float32Array(n));
  }

  state(): NoiseState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  restore(state: NoiseState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.s.map((x) => x >>> 0) as [number, number, number, number];
    this.spare = state.spare;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A seeded noise source; equal seeds give equal streams on every backend. */
export function createNoise(seed: number): NoiseSource {
  return new Xoshiro128Noise(seed);
}
