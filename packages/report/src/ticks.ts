/** Axis ticks and their labels, shared by every chart so that all figures read the same way. */

/**
 * Tick values covering [min, max] with a step of 1, 2 or 5 times a power of ten, chosen so that
 * roughly `count` ticks fall in the range. The first tick is <= min and the last >= max.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max))) throw new RangeError(`ticks of [${min}, ${max}]`);
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    // A flat series still needs an axis: open a window of 10% (or 1 around zero) on each side.
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  // Same rule as d3's tickStep: pick the multiplier nearest (geometrically) to the raw step.
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step =
    (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.SQRT2 ? 2 : 1) * power;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  // Multiplying the integer index (instead of accumulating) and rounding to the step's digits keeps
  // labels free of drift like 0.30000000000000004.
  for (let k = first; k <= last; k++) ticks.push(roundTo(k * step, step));
  return ticks;
}

function roundTo(value: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(digits, 20)));
}

/** Short tick label: integers plain, otherwise up to 4 significant digits without trailing zeros. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(1).replace('e+', 'e');
  return String(Number(value.toPrecision(4)));
}
