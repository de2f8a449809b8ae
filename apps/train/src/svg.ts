/**
 * Minimal SVG charts for run reports: line charts (learning curves) and scatter charts (per-market
 * results). Pure string output so reports need no browser or canvas; the layout is a fixed plot
 * rectangle inside margins, with linear axes and "nice" ticks (1, 2, 5 x 10^k).
 */

export interface Series {
  name: string;
  /** [x, y] pairs; pairs with a non-finite coordinate are skipped (a line is broken there). */
  points: ReadonlyArray<readonly [number, number]>;
  color?: string;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  width?: number;
  height?: number;
  /** Fixed axis ranges; by default the data range is widened to nice tick values. */
  xRange?: readonly [number, number];
  yRange?: readonly [number, number];
  /** Horizontal reference lines (for example U/U* = 1). */
  hLines?: ReadonlyArray<{ y: number; label?: string }>;
}

/** Margins of the plot rectangle inside the SVG canvas (pixels). */
export const MARGIN = { left: 64, right: 16, top: 36, bottom: 48 } as const;
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];

/**
 * Tick values covering [min, max] with a step of 1, 2 or 5 times a power of ten, chosen so that
 * roughly `count` ticks fall in the range. The first tick is <= min and the last >= max.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max))) throw new RangeError(`ticks of [${min}, ${max}]`);
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    // A flat series still needs an axis: open a unit-scale window around the value.
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
  // Multiplying the integer index (instead of accumulating) keeps labels free of drift like 0.30000000000000004.
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

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface Frame {
  width: number;
  height: number;
  xTicks: number[];
  yTicks: number[];
  x: (v: number) => number;
  y: (v: number) => number;
}

function dataRange(series: Series[], axis: 0 | 1): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (const p of s.points) {
      if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue;
      lo = Math.min(lo, p[axis]);
      hi = Math.max(hi, p[axis]);
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

function frame(opts: ChartOptions, extraY: number[]): Frame {
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  const [x0, x1] = opts.xRange ?? dataRange(opts.series, 0);
  let [y0, y1] = opts.yRange ?? dataRange(opts.series, 1);
  if (!opts.yRange) for (const v of extraY) [y0, y1] = [Math.min(y0, v), Math.max(y1, v)];
  const xTicks = opts.xRange ? niceTicks(x0, x1).filter((t) => t >= x0 && t <= x1) : niceTicks(x0, x1);
  const yTicks = opts.yRange ? niceTicks(y0, y1).filter((t) => t >= y0 && t <= y1) : niceTicks(y0, y1);
  const xMin = opts.xRange ? x0 : xTicks[0]!;
  const xMax = opts.xRange ? x1 : xTicks[xTicks.length - 1]!;
  const yMin = opts.yRange ? y0 : yTicks[0]!;
  const yMax = opts.yRange ? y1 : yTicks[yTicks.length - 1]!;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const span = (a: number, b: number) => (b > a ? b - a : 1);
  return {
    width,
    height,
    xTicks,
    yTicks,
    x: (v) => MARGIN.left + ((v - xMin) / span(xMin, xMax)) * plotW,
    y: (v) => MARGIN.top + plotH - ((v - yMin) / span(yMin, yMax)) * plotH,
  };
}

const px = (v: number) => String(Math.round(v * 100) / 100);

function axes(opts: ChartOptions, f: Frame): string[] {
  const left = MARGIN.left;
  const right = f.width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = f.height - MARGIN.bottom;
  const out: string[] = [];
  out.push(
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#444"/>`,
  );
  for (const t of f.xTicks) {
    const x = px(f.x(t));
    out.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 4}" stroke="#444"/>`);
    out.push(`<text x="${x}" y="${bottom + 16}" text-anchor="middle">${escapeXml(formatTick(t))}</text>`);
  }
  for (const t of f.yTicks) {
    const y = px(f.y(t));
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#ddd"/>`);
    out.push(
      `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatTick(t))}</text>`,
    );
  }
  for (const h of opts.hLines ?? []) {
    const y = px(f.y(h.y));
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#888" stroke-dasharray="4 3"/>`);
    if (h.label)
      out.push(
        `<text x="${right - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#666">${escapeXml(h.label)}</text>`,
      );
  }
  out.push(
    `<text x="${f.width / 2}" y="20" text-anchor="middle" font-weight="bold">${escapeXml(opts.title)}</text>`,
  );
  out.push(
    `<text x="${(left + right) / 2}" y="${f.height - 10}" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(opts.yLabel)}</text>`,
  );
  return out;
}

function legend(series: Series[]): string[] {
  const out: string[] = [];
  series.forEach((s, k) => {
    const y = MARGIN.top + 12 + 16 * k;
    const x = MARGIN.left + 10;
    out.push(`<rect x="${x}" y="${y - 5}" width="12" height="3" fill="${colorOf(s, k)}"/>`);
    out.push(`<text x="${x + 18}" y="${y}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  return out;
}

const colorOf = (s: Series, k: number) => s.color ?? PALETTE[k % PALETTE.length]!;

function wrap(f: Frame, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${f.width}" height="${f.height}" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Polyline chart; a non-finite point breaks the line into separate segments. */
export function lineChart(opts: ChartOptions): string {
  const f = frame(
    opts,
    (opts.hLines ?? []).map((h) => h.y),
  );
  const body = axes(opts, f);
  opts.series.forEach((s, k) => {
    const segments: string[][] = [[]];
    for (const [x, y] of s.points) {
      if (Number.isFinite(x) && Number.isFinite(y))
        segments[segments.length - 1]!.push(`${px(f.x(x))},${px(f.y(y))}`);
      else if (segments[segments.length - 1]!.length > 0) segments.push([]);
    }
    for (const seg of segments) {
      if (seg.length === 0) continue;
      if (seg.length === 1) {
        const [cx, cy] = seg[0]!.split(',');
        body.push(`<circle cx="${cx}" cy="${cy}" r="2" fill="${colorOf(s, k)}"/>`);
      } else {
        body.push(
          `<polyline fill="none" stroke="${colorOf(s, k)}" stroke-width="1.5" points="${seg.join(' ')}"/>`,
        );
      }
    }
  });
  return wrap(f, [...body, ...legend(opts.series)]);
}

/** Scatter chart: one circle per finite point. */
export function scatterChart(opts: ChartOptions): string {
  const f = frame(
    opts,
    (opts.hLines ?? []).map((h) => h.y),
  );
  const body = axes(opts, f);
  opts.series.forEach((s, k) => {
    for (const [x, y] of s.points) {
      if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
      body.push(
        `<circle cx="${px(f.x(x))}" cy="${px(f.y(y))}" r="2.5" fill="${colorOf(s, k)}" fill-opacity="0.8"/>`,
      );
    }
  });
  return wrap(f, [...body, ...legend(opts.series)]);
}
