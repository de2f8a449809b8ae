/**
 * Source of the WebAssembly SIMD kernels, as WAT text generated from templates (the register-blocked
 * GEMM micro-kernels are too repetitive to write by hand). `pnpm --filter @diffcontract/diffusion-actor
 * build:wasm` turns this text into `binary.ts` with wabt; `wasm.test.ts` checks the committed bytes
 * still match this source.
 *
 * The module imports its memory ("env" "memory"), so the same code runs on tfjs-wasm's heap (zero-copy
 * kernels on tensor storage) or on a memory of its own (inference without tfjs). All pointers are byte
 * offsets; leading dimensions (lda, ldb, ldc) are in elements. Matrices are row-major float32.
 *
 * Exports:
 *   gemm(M, N, K, A, lda, B, ldb, C, ldc, acc)    C = A B (+ C when acc)       A [M,K], B [K,N]
 *   gemmTN(M, N, K, A, lda, B, ldb, C, ldc, acc)  C = A^T B (+ C when acc)     A [K,M], B [K,N]
 *   gemmNT(M, N, K, A, lda, B, ldb, C, ldc)       C = A B^T                    A [M,K], B [N,K]
 *   epilogue(M, N, Z, bias, off, offRows, Y, D, mish)  Y = act(Z + bias + off), D = act'(...)
 *   transpose(R, C, A, lda, B, ldb)               B = A^T                      A [R,C], B [C,R]
 *   mul(n, a, b, out), colsum(M, N, A, out), ddpmStep(...), adam(...), polyak(...)
 */

const LOG2E = Math.LOG2E;
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.4286068203094173e-6;

const f = (x: number) => `(f32.const ${x})`;
const splat = (x: number) => `(f32x4.splat ${f(x)})`;

/**
 * Vector constants of a hot loop, held in locals set once before it: V8 does not hoist f32x4.splat of a
 * constant out of loops, and rematerialising each one costs several instructions per use.
 */
class Constants {
  private readonly names = new Map<number, string>();
  get(x: number): string {
    let name = this.names.get(x);
    if (!name) {
      name = `$cst${this.names.size}`;
      this.names.set(x, name);
    }
    return `(local.get ${name})`;
  }
  /** local declarations and their initialisation, for the function header */
  header(): string {
    return [...this.names.entries()]
      .map(([, name]) => `(local ${name} v128)`)
      .concat([...this.names.entries()].map(([x, name]) => `(local.set ${name} ${splat(x)})`))
      .join(' ');
  }
}
const get = (n: string) => `(local.get $${n})`;

/**
 * A register-blocked GEMM micro-kernel: C[R rows, 4V cols] (+)= sum_k A(r, k) B[k, cols].
 * Row r of A starts at pa + r * ars and advances by aks bytes per k, which covers both A (ars = lda,
 * aks = 4 bytes) and A^T (ars = 4 bytes, aks = lda). V = 0 means one scalar column.
 */
function microKernel(name: string, R: number, V: number, trans = false): string {
  const L: string[] = [];
  const cols = Math.max(V, 1);
  L.push(
    `(func $${name} (param $pa i32) (param $ars i32) (param $aks i32) (param $pb i32) (param $sb i32) (param $pc i32) (param $sc i32) (param $K i32) (param $acc i32)`,
  );
  const ty = V === 0 ? 'f32' : 'v128';
  for (let r = 0; r < R; r++) for (let v = 0; v < cols; v++) L.push(`(local $c${r}_${v} ${ty})`);
  for (let v = 0; v < cols; v++) L.push(`(local $b${v} ${ty})`);
  L.push(`(local $a ${ty})`);
  // A^T: the R values of one k are adjacent, so one pointer with constant offsets reaches them all.
  const P = trans ? 1 : R;
  for (let r = 0; r < P; r++) L.push(`(local $p${r} i32)`);
  for (let r = 0; r < P; r++)
    L.push(`(local.set $p${r} (i32.add ${get('pa')} (i32.mul ${get('ars')} (i32.const ${r}))))`);
  const aAt = (r: number) => (trans ? `offset=${4 * r} ${get('p0')}` : get(`p${r}`));
  const crow = (r: number) => `(i32.add ${get('pc')} (i32.mul ${get('sc')} (i32.const ${r})))`;
  if (V === 0) {
    L.push(`(if ${get('acc')} (then`);
    for (let r = 0; r < R; r++) L.push(`(local.set $c${r}_0 (f32.load ${crow(r)}))`);
    L.push('))');
  } else {
    L.push(`(if ${get('acc')} (then`);
    for (let r = 0; r < R; r++)
      for (let v = 0; v < V; v++) L.push(`(local.set $c${r}_${v} (v128.load offset=${16 * v} ${crow(r)}))`);
    L.push('))');
  }
  L.push(`(block $done (br_if $done (i32.eqz ${get('K')})) (loop $k`);
  if (V === 0) L.push(`(local.set $b0 (f32.load ${get('pb')}))`);
  else for (let v = 0; v < V; v++) L.push(`(local.set $b${v} (v128.load offset=${16 * v} ${get('pb')}))`);
  for (let r = 0; r < R; r++) {
    if (V === 0) {
      L.push(`(local.set $a (f32.load ${aAt(r)}))`);
      L.push(`(local.set $c${r}_0 (f32.add ${get(`c${r}_0`)} (f32.mul ${get('a')} ${get('b0')})))`);
    } else {
      L.push(`(local.set $a (v128.load32_splat ${aAt(r)}))`);
      for (let v = 0; v < V; v++)
        L.push(
          `(local.set $c${r}_${v} (f32x4.add ${get(`c${r}_${v}`)} (f32x4.mul ${get('a')} ${get(`b${v}`)})))`,
        );
    }
    if (!trans) L.push(`(local.set $p${r} (i32.add ${get(`p${r}`)} ${get('aks')}))`);
  }
  if (trans) L.push(`(local.set $p0 (i32.add ${get('p0')} ${get('aks')}))`);
  L.push(`(local.set $pb (i32.add ${get('pb')} ${get('sb')}))`);
  L.push(`(br_if $k (local.tee $K (i32.sub ${get('K')} (i32.const 1))))))`);
  for (let r = 0; r < R; r++) {
    if (V === 0) L.push(`(f32.store ${crow(r)} ${get(`c${r}_0`)})`);
    else for (let v = 0; v < V; v++) L.push(`(v128.store offset=${16 * v} ${crow(r)} ${get(`c${r}_${v}`)})`);
  }
  L.push(')');
  return L.join('\n');
}

/**
 * Driver over the micro-kernels: blocks of `rows` rows with the given column tiles, then single rows
 * with 32/8/4/1-column tiles (a 1 x 32 tile keeps eight accumulators busy for matrix-vector
 * products). `trans` selects A^T (gemmTN). Measured on this machine's V8: 2 x 16 tiles (eight
 * accumulators, one 64-byte row of B per step) beat 4 x 8 by about 6% for A B; larger tiles spill.
 */
function gemmDriver(
  exportName: string,
  trans: boolean,
  rows: number,
  blockTiles: [string, number][],
): string {
  const sfx = trans ? 't' : '';
  const call = (k: string, rowExpr: string) =>
    `(call $${k}${sfx} (i32.add ${get('A')} ${rowExpr}) ${get('ars')} ${get('aks')} (i32.add ${get('B')} (i32.shl ${get('j')} (i32.const 2))) ${get('sb')} (i32.add ${get('C')} (i32.add (i32.mul ${get('i')} ${get('sc')}) (i32.shl ${get('j')} (i32.const 2)))) ${get('sc')} ${get('K')} ${get('acc')})`;
  // byte offset of row i of A (or column i of A^T)
  const rowA = trans ? `(i32.shl ${get('i')} (i32.const 2))` : `(i32.mul ${get('i')} ${get('ars')})`;
  const tiles = (R: number, list: [string, number][]) =>
    list
      .map(
        ([k, w]) => `(block $x_${k} (loop $l_${k}
          (br_if $x_${k} (i32.gt_u (i32.add ${get('j')} (i32.const ${w})) ${get('je')}))
          ${call(k, rowA)}
          (local.set $j (i32.add ${get('j')} (i32.const ${w})))
          (br $l_${k})))`,
      )
      .join('\n')
      .replaceAll('$R', `${R}`);
  return `(func (export "${exportName}") (param $M i32) (param $N i32) (param $K i32) (param $A i32) (param $lda i32) (param $B i32) (param $ldb i32) (param $C i32) (param $ldc i32) (param $acc i32)
  (local $i i32) (local $j i32) (local $ars i32) (local $aks i32) (local $sb i32) (local $sc i32)
  (local $j0 i32) (local $je i32) (local $nc i32)
  ${trans ? `(local.set $ars (i32.const 4)) (local.set $aks (i32.shl ${get('lda')} (i32.const 2)))` : `(local.set $ars (i32.shl ${get('lda')} (i32.const 2))) (local.set $aks (i32.const 4))`}
  (local.set $sb (i32.shl ${get('ldb')} (i32.const 2)))
  (local.set $sc (i32.shl ${get('ldc')} (i32.const 2)))
  ;; Column panels of B small enough (K x nc floats <= 512 KiB) to stay in L2 while every row block
  ;; passes over them; with K <= 256 and N <= 512 that is one panel.
  (local.set $nc ${get('N')})
  (if ${get('K')} (then
    (local.set $nc (i32.and (i32.div_u (i32.const 131072) ${get('K')}) (i32.const -16)))
    (if (i32.lt_u ${get('nc')} (i32.const 16)) (then (local.set $nc (i32.const 16))))))
  (block $xp (loop $lp
    (br_if $xp (i32.ge_u ${get('j0')} ${get('N')}))
    (local.set $je (select (i32.add ${get('j0')} ${get('nc')}) ${get('N')} (i32.lt_u (i32.add ${get('j0')} ${get('nc')}) ${get('N')})))
    (local.set $i (i32.const 0))
    (block $x4 (loop $l4
      (br_if $x4 (i32.gt_u (i32.add ${get('i')} (i32.const ${rows})) ${get('M')}))
      (local.set $j ${get('j0')})
      ${tiles(rows, blockTiles)}
      (local.set $i (i32.add ${get('i')} (i32.const ${rows})))
      (br $l4)))
    (block $x1 (loop $l1
      (br_if $x1 (i32.ge_u ${get('i')} ${get('M')}))
      (local.set $j ${get('j0')})
      ${tiles(1, [
        ['mk1x32', 32],
        ['mk1x8', 8],
        ['mk1x4', 4],
        ['mk1x1', 1],
      ])}
      (local.set $i (i32.add ${get('i')} (i32.const 1)))
      (br $l1)))
    (local.set $j0 ${get('je')})
    (br $lp))))`;
}

/** Horizontal sum of a v128 of four f32. */
const hsum = (v: string) =>
  `(f32.add (f32.add (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v})) (f32.add (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;

/**
 * C = A B^T with A [M,K], B [N,K]: every output is a dot product of two contiguous rows. Tiles of
 * 2 x 4 outputs (eight vector accumulators over k in steps of 4, reduced at the end), scalar tail in k.
 */
function gemmNT(): string {
  const tile = (R: number, C: number) => {
    const L: string[] = [];
    L.push(`(func $nt${R}x${C} (param $pa i32) (param $sa i32) (param $pb i32) (param $sb i32) (param $pc i32) (param $sc i32) (param $K i32)
      (local $k i32) (local $t f32)`);
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) L.push(`(local $c${r}_${c} v128)`);
    for (let r = 0; r < R; r++) L.push(`(local $a${r} v128)`);
    L.push('(local $b v128)');
    const aRow = (r: number) => `(i32.add ${get('pa')} (i32.mul ${get('sa')} (i32.const ${r})))`;
    const bRow = (c: number) => `(i32.add ${get('pb')} (i32.mul ${get('sb')} (i32.const ${c})))`;
    const kb = `(i32.shl ${get('k')} (i32.const 2))`;
    L.push(`(block $xv (loop $lv
      (br_if $xv (i32.gt_u (i32.add ${get('k')} (i32.const 4)) ${get('K')}))`);
    for (let r = 0; r < R; r++) L.push(`(local.set $a${r} (v128.load (i32.add ${aRow(r)} ${kb})))`);
    for (let c = 0; c < C; c++) {
      L.push(`(local.set $b (v128.load (i32.add ${bRow(c)} ${kb})))`);
      for (let r = 0; r < R; r++)
        L.push(
          `(local.set $c${r}_${c} (f32x4.add ${get(`c${r}_${c}`)} (f32x4.mul ${get(`a${r}`)} ${get('b')})))`,
        );
    }
    L.push(`(local.set $k (i32.add ${get('k')} (i32.const 4)))
      (br $lv)))`);
    for (let r = 0; r < R; r++)
      for (let c = 0; c < C; c++) {
        L.push(`(local.set $t ${hsum(get(`c${r}_${c}`))})`);
        // scalar tail over the last K mod 4 terms
        L.push(`(block $xs (loop $ls
          (br_if $xs (i32.ge_u ${get('k')} ${get('K')}))
          (local.set $t (f32.add ${get('t')} (f32.mul (f32.load (i32.add ${aRow(r)} ${kb})) (f32.load (i32.add ${bRow(c)} ${kb})))))
          (local.set $k (i32.add ${get('k')} (i32.const 1)))
          (br $ls)))
          (local.set $k (i32.and ${get('K')} (i32.const -4)))`);
        L.push(
          `(f32.store (i32.add ${get('pc')} (i32.add (i32.mul ${get('sc')} (i32.const ${r})) (i32.const ${4 * c}))) ${get('t')})`,
        );
      }
    L.push(')');
    return L.join('\n');
  };
  const call = (name: string) =>
    `(call $${name} (i32.add ${get('A')} (i32.mul ${get('i')} ${get('sa')})) ${get('sa')} (i32.add ${get('B')} (i32.mul ${get('j')} ${get('sb')})) ${get('sb')} (i32.add ${get('C')} (i32.add (i32.mul ${get('i')} ${get('sc')}) (i32.shl ${get('j')} (i32.const 2)))) ${get('sc')} ${get('K')})`;
  const cols = (R: number) => `(local.set $j ${get('j0')})
    (block $xc4 (loop $lc4
      (br_if $xc4 (i32.gt_u (i32.add ${get('j')} (i32.const 4)) ${get('je')}))
      ${call(`nt${R}x4`)}
      (local.set $j (i32.add ${get('j')} (i32.const 4)))
      (br $lc4)))
    (block $xc1 (loop $lc1
      (br_if $xc1 (i32.ge_u ${get('j')} ${get('je')}))
      ${call(`nt${R}x1`)}
      (local.set $j (i32.add ${get('j')} (i32.const 1)))
      (br $lc1)))`;
  return `${tile(2, 4)}
${tile(2, 1)}
${tile(1, 4)}
${tile(1, 1)}
(func (export "gemmNT") (param $M i32) (param $N i32) (param $K i32) (param $A i32) (param $lda i32) (param $B i32) (param $ldb i32) (param $C i32) (param $ldc i32)
  (local $i i32) (local $j i32) (local $sa i32) (local $sb i32) (local $sc i32) (local $j0 i32) (local $je i32) (local $nc i32)
  (local.set $sa (i32.shl ${get('lda')} (i32.const 2)))
  (local.set $sb (i32.shl ${get('ldb')} (i32.const 2)))
  (local.set $sc (i32.shl ${get('ldc')} (i32.const 2)))
  ;; panels of B's rows (K x nc floats <= 512 KiB) that stay in L2 while every row block passes
  (local.set $nc ${get('N')})
  (if ${get('K')} (then
    (local.set $nc (i32.and (i32.div_u (i32.const 131072) ${get('K')}) (i32.const -4)))
    (if (i32.lt_u ${get('nc')} (i32.const 4)) (then (local.set $nc (i32.const 4))))))
  (block $xp (loop $lp
    (br_if $xp (i32.ge_u ${get('j0')} ${get('N')}))
    (local.set $je (select (i32.add ${get('j0')} ${get('nc')}) ${get('N')} (i32.lt_u (i32.add ${get('j0')} ${get('nc')}) ${get('N')})))
    (local.set $i (i32.const 0))
    (block $x2 (loop $l2
      (br_if $x2 (i32.gt_u (i32.add ${get('i')} (i32.const 2)) ${get('M')}))
      ${cols(2)}
      (local.set $i (i32.add ${get('i')} (i32.const 2)))
      (br $l2)))
    (block $x1 (loop $l1
      (br_if $x1 (i32.ge_u ${get('i')} ${get('M')}))
      ${cols(1)}
      (local.set $i (i32.add ${get('i')} (i32.const 1)))
      (br $l1)))
    (local.set $j0 ${get('je')})
    (br $lp))))`;
}

/**
 * exp on f32x4 as an inline expression (uses locals $k, $r, $p): Cody-Waite reduction x = k ln2 + r,
 * a degree-7 Taylor polynomial on |r| <= ln2/2 and 2^k built in the exponent bits (the scheme of
 * fastmath.ts's fastExp, in float32). The argument is clamped to [-87, 88].
 */
function expInline(x: string, c: Constants): string {
  return `(block (result v128)
    (local.set $r (f32x4.min (f32x4.max ${x} ${c.get(-87)}) ${c.get(88)}))
    (local.set $k (f32x4.nearest (f32x4.mul ${get('r')} ${c.get(LOG2E)})))
    (local.set $r (f32x4.sub (f32x4.sub ${get('r')} (f32x4.mul ${get('k')} ${c.get(LN2_HI)})) (f32x4.mul ${get('k')} ${c.get(LN2_LO)})))
    (local.set $p (f32x4.add ${c.get(1 / 720)} (f32x4.mul ${get('r')} ${c.get(1 / 5040)})))
    ${[1 / 120, 1 / 24, 1 / 6, 0.5, 1, 1].map((v) => `(local.set $p (f32x4.add ${c.get(v)} (f32x4.mul ${get('r')} ${get('p')})))`).join('\n    ')}
    (f32x4.mul ${get('p')} (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s ${get('k')}) (i32x4.splat (i32.const 127))) (i32.const 23))))`;
}

/**
 * Mish and its derivative on four lanes, inlined into the epilogue loops (V8 does not inline wasm
 * calls). With e = exp(z), n = e (e + 2): t = tanh(softplus(z)) = n / (n + 2), sigmoid(z) = e / (1 + e),
 * mish'(z) = t + z sigmoid(z) (1 - t^2); both quotients share one division by (n + 2)(1 + e). Above 20,
 * t is 1 in float32, so mish(z) = z and mish'(z) = 1 (which also hides the overflow of n and q).
 * Leaves y in $z and, with `withD`, the derivative in $d.
 */
function mishInline(withD: boolean, c: Constants): string {
  const x = '$z';
  return `(local.set $e ${expInline(`(local.get ${x})`, c)})
    (local.set $n (f32x4.mul ${get('e')} (f32x4.add ${get('e')} ${c.get(2)})))
    (local.set $big (f32x4.gt (local.get ${x}) ${c.get(20)}))
    ${
      withD
        ? `(local.set $q (f32x4.div ${c.get(1)} (f32x4.mul (f32x4.add ${get('n')} ${c.get(2)}) (f32x4.add ${get('e')} ${c.get(1)}))))
    (local.set $t (f32x4.mul (f32x4.mul ${get('n')} (f32x4.add ${get('e')} ${c.get(1)})) ${get('q')}))
    (local.set $d (v128.bitselect ${c.get(1)}
      (f32x4.add ${get('t')} (f32x4.mul (f32x4.mul (local.get ${x}) (f32x4.mul (f32x4.mul ${get('e')} (f32x4.add ${get('n')} ${c.get(2)})) ${get('q')}))
        (f32x4.sub ${c.get(1)} (f32x4.mul ${get('t')} ${get('t')}))))
      ${get('big')}))`
        : `(local.set $t (f32x4.div ${get('n')} (f32x4.add ${get('n')} ${c.get(2)})))`
    }
    (local.set ${x} (v128.bitselect (local.get ${x}) (f32x4.mul (local.get ${x}) ${get('t')}) ${get('big')}))`;
}

/** Loads four lanes at p, or one lane (zeros above it). */
const load = (one: boolean, p: string) =>
  one ? `(f32x4.replace_lane 0 (v128.const i32x4 0 0 0 0) (f32.load ${p}))` : `(v128.load ${p})`;
const store = (one: boolean, p: string, v: string) =>
  one ? `(f32.store ${p} (f32x4.extract_lane 0 ${v}))` : `(v128.store ${p} ${v})`;

/**
 * Y = act(Z + bias + off) row by row; bias [N] and off ([offRows, N]; offRows 1 broadcasts) are
 * optional (pointer 0). With mish, D receives the derivative when D is not 0. Y may be Z. Columns
 * past the last multiple of 4 go one lane at a time.
 */
function epilogue(): string {
  const c = new Constants();
  const at = (base: string, row: string) => `(i32.add ${get(base)} (i32.add ${row} ${get('jb')}))`;
  const columns = (one: boolean) => {
    const step = one ? 1 : 4;
    return `(block $x${step} (loop $l${step}
      (br_if $x${step} (i32.gt_u (i32.add ${get('j')} (i32.const ${step})) ${get('N')}))
      (local.set $jb (i32.shl ${get('j')} (i32.const 2)))
      (local.set $z ${load(one, at('Z', get('row')))})
      (if ${get('bias')} (then (local.set $z (f32x4.add ${get('z')} ${load(one, `(i32.add ${get('bias')} ${get('jb')})`)}))))
      (if ${get('off')} (then (local.set $z (f32x4.add ${get('z')} ${load(one, at('off', get('orow')))}))))
      (if (i32.eq ${get('mode')} (i32.const 2))
        (then ${mishInline(true, c)} ${store(one, at('D', get('row')), get('d'))})
        (else (if (i32.eq ${get('mode')} (i32.const 1)) (then ${mishInline(false, c)}))))
      ${store(one, at('Y', get('row')), get('z'))}
      (local.set $j (i32.add ${get('j')} (i32.const ${step})))
      (br $l${step})))`;
  };
  const body = `${columns(false)}
    ${columns(true)}`;
  return `(func (export "epilogue") (param $M i32) (param $N i32) (param $Z i32) (param $bias i32) (param $off i32) (param $offRows i32) (param $Y i32) (param $D i32) (param $mish i32)
  (local $i i32) (local $j i32) (local $jb i32) (local $row i32) (local $orow i32) (local $mode i32)
  (local $z v128) (local $d v128) (local $e v128) (local $n v128) (local $q v128) (local $t v128) (local $big v128) (local $k v128) (local $r v128) (local $p v128)
  ${c.header()}
  (local.set $mode (select (select (i32.const 2) (i32.const 1) ${get('D')}) (i32.const 0) ${get('mish')}))
  (block $xi (loop $li
    (br_if $xi (i32.ge_u ${get('i')} ${get('M')}))
    (local.set $row (i32.shl (i32.mul ${get('i')} ${get('N')}) (i32.const 2)))
    (local.set $orow (i32.shl (i32.mul (i32.rem_u ${get('i')} (select ${get('offRows')} (i32.const 1) ${get('offRows')})) ${get('N')}) (i32.const 2)))
    (local.set $j (i32.const 0))
    ${body}
    (local.set $i (i32.add ${get('i')} (i32.const 1)))
    (br $li))))`;
}

/** A loop over n elements, four lanes at a time, then a one-lane tail; `body(p, w)` gets the byte offset. */
function elementwise(
  header: string,
  locals: string,
  body: (off: string, load: (p: string) => string, store: (p: string, v: string) => string) => string,
): string {
  const vec = body(
    get('o'),
    (p) => `(v128.load (i32.add ${get(p)} ${get('o')}))`,
    (p, v) => `(v128.store (i32.add ${get(p)} ${get('o')}) ${v})`,
  );
  const one = body(
    get('o'),
    (p) => `(f32x4.splat (f32.load (i32.add ${get(p)} ${get('o')})))`,
    (p, v) => `(f32.store (i32.add ${get(p)} ${get('o')}) (f32x4.extract_lane 0 ${v}))`,
  );
  return `${header} (local $o i32) (local $end i32) (local $end4 i32) ${locals}
  (local.set $end (i32.shl ${get('n')} (i32.const 2)))
  (local.set $end4 (i32.and ${get('end')} (i32.const -16)))
  (block $xv (loop $lv
    (br_if $xv (i32.ge_u ${get('o')} ${get('end4')}))
    ${vec}
    (local.set $o (i32.add ${get('o')} (i32.const 16)))
    (br $lv)))
  (block $xs (loop $ls
    (br_if $xs (i32.ge_u ${get('o')} ${get('end')}))
    ${one}
    (local.set $o (i32.add ${get('o')} (i32.const 4)))
    (br $ls))))`;
}

const MUL = elementwise(
  '(func (export "mul") (param $n i32) (param $a i32) (param $b i32) (param $out i32)',
  '',
  (_o, load, store) => store('out', `(f32x4.mul ${load('a')} ${load('b')})`),
);

/** out = keep * t + tau * s (Polyak averaging). */
const POLYAK = elementwise(
  '(func (export "polyak") (param $n i32) (param $t i32) (param $s i32) (param $out i32) (param $keep f32) (param $tau f32)',
  '',
  (_o, load, store) =>
    store(
      'out',
      `(f32x4.add (f32x4.mul (f32x4.splat ${get('keep')}) ${load('t')}) (f32x4.mul (f32x4.splat ${get('tau')}) ${load('s')}))`,
    ),
);

/**
 * One Adam step with PyTorch's rule: m = b1 m + c1 g; v = b2 v + c2 g^2 (c = 1 - b, passed in so it is
 * computed in float64);
 * out = p - stepSize m / (sqrt(v) invBias2 + eps). m and v are updated in place.
 */
const ADAM = elementwise(
  '(func (export "adam") (param $n i32) (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $out i32) (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32) (param $stepSize f32) (param $invBias2 f32) (param $eps f32)',
  '(local $gk v128) (local $mk v128) (local $vk v128)',
  (_o, load, store) => `(local.set $gk ${load('g')})
    (local.set $mk (f32x4.add (f32x4.mul (f32x4.splat ${get('b1')}) ${load('m')}) (f32x4.mul (f32x4.splat ${get('c1')}) ${get('gk')})))
    (local.set $vk (f32x4.add (f32x4.mul (f32x4.splat ${get('b2')}) ${load('v')}) (f32x4.mul (f32x4.mul (f32x4.splat ${get('c2')}) ${get('gk')}) ${get('gk')})))
    ${store('m', get('mk'))}
    ${store('v', get('vk'))}
    ${store(
      'out',
      `(f32x4.sub ${load('p')} (f32x4.div (f32x4.mul (f32x4.splat ${get('stepSize')}) ${get('mk')})
        (f32x4.add (f32x4.mul (f32x4.sqrt ${get('vk')}) (f32x4.splat ${get('invBias2')})) (f32x4.splat ${get('eps')}))))`,
    )}`,
);

/**
 * One reverse DDPM step (ddpm.ts): x0 = clip(sr x - srm1 eps, -1, 1); next = c1 x0 + c2 x + z;
 * gx, ge = d next / d x, d next / d eps (the clip passes the gradient inside [-1, 1]). z, gx, ge may
 * be 0 (absent).
 */
const DDPM = elementwise(
  '(func (export "ddpmStep") (param $n i32) (param $x i32) (param $e i32) (param $z i32) (param $next i32) (param $gx i32) (param $ge i32) (param $sr f32) (param $srm1 f32) (param $c1 f32) (param $c2 f32)',
  '(local $xv v128) (local $raw v128) (local $in v128) (local $nx v128)',
  (_o, load, store) => `(local.set $xv ${load('x')})
    (local.set $raw (f32x4.sub (f32x4.mul (f32x4.splat ${get('sr')}) ${get('xv')}) (f32x4.mul (f32x4.splat ${get('srm1')}) ${load('e')})))
    (local.set $in (v128.and (f32x4.ge ${get('raw')} ${splat(-1)}) (f32x4.le ${get('raw')} ${splat(1)})))
    (local.set $nx (f32x4.add (f32x4.mul (f32x4.splat ${get('c1')}) (f32x4.min (f32x4.max ${get('raw')} ${splat(-1)}) ${splat(1)}))
      (f32x4.mul (f32x4.splat ${get('c2')}) ${get('xv')})))
    (if ${get('z')} (then (local.set $nx (f32x4.add ${get('nx')} ${load('z')}))))
    ${store('next', get('nx'))}
    (if ${get('gx')} (then ${store(
      'gx',
      `(v128.bitselect (f32x4.splat (f32.add ${get('c2')} (f32.mul ${get('c1')} ${get('sr')}))) (f32x4.splat ${get('c2')}) ${get('in')})`,
    )}))
    (if ${get('ge')} (then ${store('ge', `(v128.and (f32x4.splat (f32.neg (f32.mul ${get('c1')} ${get('srm1')}))) ${get('in')})`)}))`,
);

/** out = clip(a, lo, hi). */
const CLIP = elementwise(
  '(func (export "clip") (param $n i32) (param $a i32) (param $out i32) (param $lo f32) (param $hi f32)',
  '',
  (_o, load, store) =>
    store(
      'out',
      `(f32x4.min (f32x4.max ${load('a')} (f32x4.splat ${get('lo')})) (f32x4.splat ${get('hi')}))`,
    ),
);

/** i32-lane shuffle of two v128 (lanes 0-3 from a, 4-7 from b) as byte indices. */
const shuffle = (lanes: number[], a: string, b: string) =>
  `(i8x16.shuffle ${lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]).join(' ')} ${a} ${b})`;

/**
 * B[c, r] = A[r, c] for an R x C matrix A (leading dimensions lda, ldb): 4 x 4 blocks transposed in
 * registers, scalar edges.
 */
function transpose(): string {
  const at = (base: string, ld: string, r: string, c: string) =>
    `(i32.add ${get(base)} (i32.shl (i32.add (i32.mul ${r} ${get(ld)}) ${c}) (i32.const 2)))`;
  const plus = (v: string, k: number) => (k === 0 ? get(v) : `(i32.add ${get(v)} (i32.const ${k}))`);
  const loads = [0, 1, 2, 3]
    .map((k) => `(local.set $a${k} (v128.load ${at('A', 'lda', plus('r', k), get('c'))}))`)
    .join('\n        ');
  const stores = [0, 1, 2, 3]
    .map((k) => {
      const t = k < 2 ? ['t0', 't2'] : ['t1', 't3'];
      const lanes = k % 2 === 0 ? [0, 1, 4, 5] : [2, 3, 6, 7];
      return `(v128.store ${at('B', 'ldb', plus('c', k), get('r'))} ${shuffle(lanes, get(t[0]!), get(t[1]!))})`;
    })
    .join('\n        ');
  return `(func (export "transpose") (param $R i32) (param $C i32) (param $A i32) (param $lda i32) (param $B i32) (param $ldb i32)
  (local $r i32) (local $c i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
  (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
  (block $xr (loop $lr
    (br_if $xr (i32.gt_u (i32.add ${get('r')} (i32.const 4)) ${get('R')}))
    (local.set $c (i32.const 0))
    (block $xc (loop $lc
      (br_if $xc (i32.gt_u (i32.add ${get('c')} (i32.const 4)) ${get('C')}))
        ${loads}
        (local.set $t0 ${shuffle([0, 4, 1, 5], get('a0'), get('a1'))})
        (local.set $t1 ${shuffle([2, 6, 3, 7], get('a0'), get('a1'))})
        (local.set $t2 ${shuffle([0, 4, 1, 5], get('a2'), get('a3'))})
        (local.set $t3 ${shuffle([2, 6, 3, 7], get('a2'), get('a3'))})
        ${stores}
      (local.set $c (i32.add ${get('c')} (i32.const 4)))
      (br $lc)))
    ;; columns past the last multiple of 4, for these four rows
    (block $xe (loop $le
      (br_if $xe (i32.ge_u ${get('c')} ${get('C')}))
      ${[0, 1, 2, 3].map((k) => `(f32.store ${at('B', 'ldb', get('c'), plus('r', k))} (f32.load ${at('A', 'lda', plus('r', k), get('c'))}))`).join('\n      ')}
      (local.set $c (i32.add ${get('c')} (i32.const 1)))
      (br $le)))
    (local.set $r (i32.add ${get('r')} (i32.const 4)))
    (br $lr)))
  ;; rows past the last multiple of 4
  (block $xs (loop $ls
    (br_if $xs (i32.ge_u ${get('r')} ${get('R')}))
    (local.set $c (i32.const 0))
    (block $xt (loop $lt
      (br_if $xt (i32.ge_u ${get('c')} ${get('C')}))
      (f32.store ${at('B', 'ldb', get('c'), get('r'))} (f32.load ${at('A', 'lda', get('r'), get('c'))}))
      (local.set $c (i32.add ${get('c')} (i32.const 1)))
      (br $lt)))
    (local.set $r (i32.add ${get('r')} (i32.const 1)))
    (br $ls))))`;
}

/** out[j] = sum_i A[i, j] over M rows of N columns (the bias gradient). */
const COLSUM = `(func (export "colsum") (param $M i32) (param $N i32) (param $A i32) (param $out i32)
  (local $i i32) (local $j i32) (local $p i32) (local $s v128) (local $t f32) (local $row i32)
  (local.set $row (i32.shl ${get('N')} (i32.const 2)))
  (block $xv (loop $lv
    (br_if $xv (i32.gt_u (i32.add ${get('j')} (i32.const 4)) ${get('N')}))
    (local.set $s (v128.const i32x4 0 0 0 0))
    (local.set $p (i32.add ${get('A')} (i32.shl ${get('j')} (i32.const 2))))
    (local.set $i ${get('M')})
    (block $x (loop $l
      (br_if $x (i32.eqz ${get('i')}))
      (local.set $s (f32x4.add ${get('s')} (v128.load ${get('p')})))
      (local.set $p (i32.add ${get('p')} ${get('row')}))
      (local.set $i (i32.sub ${get('i')} (i32.const 1)))
      (br $l)))
    (v128.store (i32.add ${get('out')} (i32.shl ${get('j')} (i32.const 2))) ${get('s')})
    (local.set $j (i32.add ${get('j')} (i32.const 4)))
    (br $lv)))
  (block $xs (loop $ls
    (br_if $xs (i32.ge_u ${get('j')} ${get('N')}))
    (local.set $t ${f(0)})
    (local.set $p (i32.add ${get('A')} (i32.shl ${get('j')} (i32.const 2))))
    (local.set $i ${get('M')})
    (block $x (loop $l
      (br_if $x (i32.eqz ${get('i')}))
      (local.set $t (f32.add ${get('t')} (f32.load ${get('p')})))
      (local.set $p (i32.add ${get('p')} ${get('row')}))
      (local.set $i (i32.sub ${get('i')} (i32.const 1)))
      (br $l)))
    (f32.store (i32.add ${get('out')} (i32.shl ${get('j')} (i32.const 2))) ${get('t')})
    (local.set $j (i32.add ${get('j')} (i32.const 1)))
    (br $ls))))`;

/**
 * The whole module: no data, no globals, no memory of its own; every function writes only where its
 * pointer arguments say.
 */
export function kernelsWat(): string {
  const kernels = [
    // A B: 2-row blocks; A^T B: 4-row blocks (A^T's four values of one k are adjacent).
    microKernel('mk2x16', 2, 4),
    microKernel('mk2x8', 2, 2),
    microKernel('mk2x4', 2, 1),
    microKernel('mk2x1', 2, 0),
    microKernel('mk4x8t', 4, 2, true),
    microKernel('mk4x4t', 4, 1, true),
    microKernel('mk4x1t', 4, 0, true),
    ...[false, true].flatMap((t) => {
      const sfx = t ? 't' : '';
      return [
        microKernel(`mk1x32${sfx}`, 1, 8, t),
        microKernel(`mk1x8${sfx}`, 1, 2, t),
        microKernel(`mk1x4${sfx}`, 1, 1, t),
        microKernel(`mk1x1${sfx}`, 1, 0, t),
      ];
    }),
    gemmDriver('gemm', false, 2, [
      ['mk2x16', 16],
      ['mk2x8', 8],
      ['mk2x4', 4],
      ['mk2x1', 1],
    ]),
    gemmDriver('gemmTN', true, 4, [
      ['mk4x8', 8],
      ['mk4x4', 4],
      ['mk4x1', 1],
    ]),
    gemmNT(),
    epilogue(),
    MUL,
    POLYAK,
    ADAM,
    DDPM,
    CLIP,
    COLSUM,
    transpose(),
  ];
  return `(module\n(import "env" "memory" (memory 1))\n${kernels.join('\n')}\n)\n`;
}
