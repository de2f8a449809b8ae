/** Number of types K of a policy from its state size 2K + K^2 + 3 (model.md section 6). */
export function typesOfStateDim(S: unknown): number {
  const K = typeof S === 'number' ? Math.round(Math.sqrt(S - 2) - 1) : Number.NaN;
  if (!(K >= 1) || 2 * K + K * K + 3 !== S)
    throw new Error(`policy: config.stateDim: not 2K + K^2 + 3 (${S})`);
  return K;
}
