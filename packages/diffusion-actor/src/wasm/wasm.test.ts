import { describe, expect, test } from 'vitest';
import wabtInit from 'wabt';
import { createNoise } from '../nn/noise.js';
import { KERNELS_WASM_BASE64 } from './binary.js';
import { Arena } from './kernels.js';
import { kernelsWat } from './wat.js';

const rng = createNoise(42);
const randoms = (n: number, scale = 1) =>
  Float32Array.from({ length: n }, () => scale * (2 * rng.nextFloat() - 1));

function put(arena: Arena, values: Float32Array): number {
  const p = arena.alloc(values.length);
  arena.view(p, values.length).set(values);
  return p;
}

/** Float64 reference of mish and its derivative, written from the definition. */
const mishRef = (z: number) => z * Math.tanh(Math.log1p(Math.exp(z)));
const mishGradRef = (z: number) => {
  const sp = Math.log1p(Math.exp(z));
  const t = Math.tanh(sp);
  return t + z * (1 - t * t) * (1 / (1 + Math.exp(-z)));
};

test('the committed binary is the compiled WAT source', async () => {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('kernels.wat', kernelsWat(), { simd: true, multi_value: true });
  mod.validate();
  const bytes = Buffer.from(mod.toBinary({}).buffer);
  expect(bytes.toString('base64')).toBe(KERNELS_WASM_BASE64);
});

describe('matrix products against float64 loops', () => {
  // Shapes cover every tile path: 4-row blocks and single rows, 32/8/4/1-column tiles, K = 0 and odd K.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 24, 256],
    [1, 37, 5],
    [3, 9, 17],
    [4, 8, 3],
    [5, 33, 0],
    [7, 42, 13],
    [8, 1, 256],
    [13, 70, 31],
    [64, 64, 64],
    [3, 100, 9000], // K > 8192: column panels of 16 (the L2 blocking)
  ];
  const ld = (n: number) => n + 3; // padded leading dimensions exercise the stride arguments

  test.each(shapes)('gemm %i x %i x %i, with and without accumulation', (M, N, K) => {
    const arena = new Arena();
    const a = randoms(M * ld(K));
    const b = randoms(K * ld(N));
    const c0 = randoms(M * ld(N));
    for (const acc of [0, 1]) {
      const pa = put(arena, a);
      const pb = put(arena, b);
      const pc = put(arena, c0);
      arena.kernels.gemm(M, N, K, pa, ld(K), pb, ld(N), pc, ld(N), acc);
      const c = arena.view(pc, c0.length);
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let s = acc ? c0[i * ld(N) + j]! : 0;
          for (let k = 0; k < K; k++) s += a[i * ld(K) + k]! * b[k * ld(N) + j]!;
          expect(Math.abs(c[i * ld(N) + j]! - s)).toBeLessThan(1e-5 * (1 + Math.sqrt(K)));
        }
      // padding columns are untouched
      for (let i = 0; i < M; i++) expect(c[i * ld(N) + N]).toBe(c0[i * ld(N) + N]);
    }
  });

  test.each(shapes)('gemmTN %i x %i x %i (A stored transposed)', (M, N, K) => {
    const arena = new Arena();
    const a = randoms(K * ld(M));
    const b = randoms(K * ld(N));
    const c0 = randoms(M * ld(N));
    for (const acc of [0, 1]) {
      const pc = put(arena, c0);
      arena.kernels.gemmTN(M, N, K, put(arena, a), ld(M), put(arena, b), ld(N), pc, ld(N), acc);
      const c = arena.view(pc, c0.length);
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let s = acc ? c0[i * ld(N) + j]! : 0;
          for (let k = 0; k < K; k++) s += a[k * ld(M) + i]! * b[k * ld(N) + j]!;
          expect(Math.abs(c[i * ld(N) + j]! - s)).toBeLessThan(1e-5 * (1 + Math.sqrt(K)));
        }
    }
  });

  test.each(shapes)('gemmNT %i x %i x %i (B stored transposed)', (M, N, K) => {
    const arena = new Arena();
    const a = randoms(M * ld(K));
    const b = randoms(N * ld(K));
    const pc = put(arena, new Float32Array(M * ld(N)).fill(7));
    arena.kernels.gemmNT(M, N, K, put(arena, a), ld(K), put(arena, b), ld(K), pc, ld(N));
    const c = arena.view(pc, M * ld(N));
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[i * ld(K) + k]! * b[j * ld(K) + k]!;
        expect(Math.abs(c[i * ld(N) + j]! - s)).toBeLessThan(1e-5 * (1 + Math.sqrt(K)));
      }
      expect(c[i * ld(N) + N]).toBe(7);
    }
  });
});

test.each([
  [1, 1],
  [3, 5],
  [4, 4],
  [8, 12],
  [9, 42],
  [256, 24],
])('transpose %i x %i (padded leading dimensions)', (R, C) => {
  const arena = new Arena();
  const a = randoms(R * (C + 2));
  const pb = put(arena, new Float32Array(C * (R + 1)).fill(9));
  arena.kernels.transpose(R, C, put(arena, a), C + 2, pb, R + 1);
  const b = arena.view(pb, C * (R + 1));
  for (let c = 0; c < C; c++) {
    for (let r = 0; r < R; r++) expect(b[c * (R + 1) + r]).toBe(a[r * (C + 2) + c]);
    expect(b[c * (R + 1) + R]).toBe(9);
  }
});

describe('elementwise kernels', () => {
  test('epilogue: bias, per-row and broadcast offsets, Mish and its derivative', () => {
    const arena = new Arena();
    for (const N of [1, 3, 4, 7, 24]) {
      const M = 5;
      const z = randoms(M * N, 6);
      z[0] = 30; // above the z > 20 shortcut
      z[M * N - 1] = -100; // exp underflows to the clamp
      const bias = randoms(N);
      for (const offRows of [0, 1, M]) {
        const off = offRows ? randoms(offRows * N) : null;
        for (const mish of [0, 1]) {
          const pz = put(arena, z);
          const py = arena.alloc(M * N);
          const pd = arena.alloc(M * N);
          arena.kernels.epilogue(
            M,
            N,
            pz,
            put(arena, bias),
            off ? put(arena, off) : 0,
            offRows,
            py,
            pd,
            mish,
          );
          const y = arena.view(py, M * N);
          const d = arena.view(pd, M * N);
          for (let i = 0; i < M; i++)
            for (let j = 0; j < N; j++) {
              const v = z[i * N + j]! + bias[j]! + (off ? off[(offRows === 1 ? 0 : i) * N + j]! : 0);
              const want = mish ? mishRef(v) : v;
              expect(Math.abs(y[i * N + j]! - want)).toBeLessThan(2e-6 * (1 + Math.abs(want)));
              if (mish) expect(Math.abs(d[i * N + j]! - mishGradRef(v))).toBeLessThan(2e-6);
            }
        }
      }
    }
  });

  test('epilogue in place on Z (the layer kernel does this), rows not a multiple of 4 wide', () => {
    const arena = new Arena();
    for (const withD of [false, true]) {
      const M = 3;
      const N = 7;
      const z = randoms(M * N, 4);
      const bias = randoms(N);
      const pz = put(arena, z);
      const pd = withD ? arena.alloc(M * N) : 0;
      arena.kernels.epilogue(M, N, pz, put(arena, bias), 0, 0, pz, pd, 1);
      arena.view(pz, M * N).forEach((y, i) => {
        const v = z[i]! + bias[i % N]!;
        expect(Math.abs(y - mishRef(v))).toBeLessThan(2e-6 * (1 + Math.abs(v)));
        if (withD) expect(Math.abs(arena.view(pd, M * N)[i]! - mishGradRef(v))).toBeLessThan(2e-6);
      });
    }
  });

  test('mish values across the float32 range stay finite and monotone above the minimum', () => {
    const arena = new Arena();
    const z = Float32Array.from({ length: 4001 }, (_, i) => -100 + i * 0.05);
    const pz = put(arena, z);
    const py = arena.alloc(z.length);
    const pd = arena.alloc(z.length);
    arena.kernels.epilogue(1, z.length, pz, 0, 0, 0, py, pd, 1);
    const y = arena.view(py, z.length);
    const d = arena.view(pd, z.length);
    for (let i = 0; i < z.length; i++) {
      expect(Number.isFinite(y[i]!)).toBe(true);
      expect(Math.abs(y[i]! - mishRef(z[i]!))).toBeLessThan(3e-6 * (1 + Math.abs(z[i]!)));
      expect(Math.abs(d[i]! - mishGradRef(z[i]!))).toBeLessThan(3e-6);
    }
  });

  test('mul, clip, colsum, polyak', () => {
    const arena = new Arena();
    const n = 23;
    const a = randoms(n, 3);
    const b = randoms(n);
    const pa = put(arena, a);
    const pb = put(arena, b);
    const out = arena.alloc(n);
    arena.kernels.mul(n, pa, pb, out);
    arena.view(out, n).forEach((v, i) => {
      expect(v).toBe(Math.fround(a[i]! * b[i]!));
    });
    arena.kernels.clip(n, pa, out, -1, 1);
    arena.view(out, n).forEach((v, i) => {
      expect(v).toBe(Math.min(1, Math.max(-1, a[i]!)));
    });
    arena.kernels.polyak(n, pa, pb, out, 0.995, 0.005);
    arena.view(out, n).forEach((v, i) => {
      expect(Math.abs(v - (0.995 * a[i]! + 0.005 * b[i]!))).toBeLessThan(1e-6);
    });
    for (const N of [1, 6, 8]) {
      const M = 9;
      const m = randoms(M * N);
      const ps = arena.alloc(N);
      arena.kernels.colsum(M, N, put(arena, m), ps);
      const s = arena.view(ps, N);
      for (let j = 0; j < N; j++) {
        let want = 0;
        for (let i = 0; i < M; i++) want += m[i * N + j]!;
        expect(Math.abs(s[j]! - want)).toBeLessThan(1e-5);
      }
    }
  });

  test('adam matches the float64 update rule', () => {
    const arena = new Arena();
    const n = 19;
    const p = randoms(n);
    const g = randoms(n, 0.1);
    const m = randoms(n, 0.01);
    const v = Float32Array.from(randoms(n, 0.001), Math.abs);
    const [b1, b2, lr, eps, t] = [0.9, 0.999, 1e-3, 1e-8, 3];
    const stepSize = lr / (1 - b1 ** t);
    const invBias2 = 1 / Math.sqrt(1 - b2 ** t);
    const pm = put(arena, m);
    const pv = put(arena, v);
    const out = arena.alloc(n);
    arena.kernels.adam(
      n,
      put(arena, p),
      put(arena, g),
      pm,
      pv,
      out,
      b1,
      1 - b1,
      b2,
      1 - b2,
      stepSize,
      invBias2,
      eps,
    );
    for (let i = 0; i < n; i++) {
      const mk = b1 * m[i]! + (1 - b1) * g[i]!;
      const vk = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
      expect(Math.abs(arena.view(pm, n)[i]! - mk)).toBeLessThan(1e-7);
      expect(Math.abs(arena.view(pv, n)[i]! - vk) / vk).toBeLessThan(1e-6);
      const want = p[i]! - (stepSize * mk) / (Math.sqrt(vk) * invBias2 + eps);
      expect(Math.abs(arena.view(out, n)[i]! - want)).toBeLessThan(1e-6);
    }
  });

  test('ddpmStep: value and local derivatives on both sides of the clip', () => {
    const arena = new Arena();
    const n = 41;
    const x = randoms(n, 3);
    const e = randoms(n, 3);
    const z = randoms(n, 0.1);
    const [sr, srm1, c1, c2] = [1.7, 1.3, 0.6, 0.35];
    for (const withZ of [true, false]) {
      const next = arena.alloc(n);
      const gx = arena.alloc(n);
      const ge = arena.alloc(n);
      arena.kernels.ddpmStep(
        n,
        put(arena, x),
        put(arena, e),
        withZ ? put(arena, z) : 0,
        next,
        gx,
        ge,
        sr,
        srm1,
        c1,
        c2,
      );
      let inside = 0;
      for (let i = 0; i < n; i++) {
        const raw = sr * x[i]! - srm1 * e[i]!;
        const ok = raw >= -1 && raw <= 1;
        inside += ok ? 1 : 0;
        const want = c1 * Math.min(1, Math.max(-1, raw)) + c2 * x[i]! + (withZ ? z[i]! : 0);
        expect(Math.abs(arena.view(next, n)[i]! - want)).toBeLessThan(1e-5);
        expect(arena.view(gx, n)[i]).toBeCloseTo(ok ? c2 + c1 * sr : c2, 6);
        expect(arena.view(ge, n)[i]).toBeCloseTo(ok ? -c1 * srm1 : 0, 6);
      }
      expect(inside).toBeGreaterThan(3);
      expect(inside).toBeLessThan(n - 3);
    }
  });
});
