/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Half the interquartile range relative to the median: the noise figure the bench reports. */
export function relativeSpread(values: number[]): number {
  if (values.length < 2) return 0;
  const s = [...values].sort((x, y) => x - y);
  const q = (p: number) => {
    const pos = (s.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  const mid = median(s);
  return mid === 0 ? 0 : (q(0.75) - q(0.25)) / 2 / mid;
}
