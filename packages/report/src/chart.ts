/**
 * SVG charts for reports: lines (learning curves, optionally with a mean ± spread band and markers
 * with error bars, as sweeps want) and scatters (per-market results). Pure string output, so a
 * report needs no browser or canvas. One layout for all: a fixed plot rectangle inside margins,
 * linear axes, 1-2-5 ticks, dashed reference lines, the legend inside the plot or to its right.
 */
import { formatTick, niceTicks } from './ticks.js';

export interface Series {
  name: string;
  /** [x, y] pairs; a pair with a non-finite coordinate is skipped (and breaks a line there) */
  points: ReadonlyArray<readonly [number, number]>;
  /** [lower, upper] edge per point, for example mean ± 1 sd: drawn as a shaded band */
  band?: ReadonlyArray<readonly [number, number]>;
  color?: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  width?: number;
  height?: number;
  /** fixed axis ranges; by default the data range is widened to nice tick values */
  xRange?: readonly [number, number];
  yRange?: readonly [number, number];
  /** horizontal reference lines (for example U/U* = 1, the optimum) */
  hLines?: ReadonlyArray<{ y: number; label?: string }>;
  /** a marker at every point (and an error bar where there is a band): sweeps */
  markers?: boolean;
  /** `inside` the plot's top-left corner (default) or in a column `right` of it (long names) */
  legend?: 'inside' | 'right';
}

/** Margins of the plot rectangle inside the SVG canvas (pixels); a legend on the right widens `right`. */
export const MARGIN = { left: 64, right: 16, top: 36, bottom: 48 } as const;
export const LEGEND_WIDTH = 134;
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];

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
  /** right edge of the plot rectangle */
  right: number;
  bottom: number;
  xTicks: number[];
  yTicks: number[];
  x: (v: number) => number;
  y: (v: number) => number;
}

const finite = (...v: number[]) => v.every(Number.isFinite);

/** The y values that must be visible: the points and their band edges. */
function yValues(s: Series, k: number): number[] {
  const p = s.points[k]!;
  const b = s.band?.[k];
  return b ? [p[1], b[0], b[1]] : [p[1]];
}

function dataRange(series: readonly Series[], axis: 0 | 1): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    s.points.forEach((p, k) => {
      const values = axis === 0 ? [p[0]] : yValues(s, k);
      if (!finite(p[0], ...yValues(s, k))) return;
      for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    });
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

function axisTicks(range: readonly [number, number] | undefined, data: [number, number]) {
  if (range)
    return {
      ticks: niceTicks(range[0], range[1]).filter((t) => t >= range[0] && t <= range[1]),
      lo: range[0],
      hi: range[1],
    };
  const ticks = niceTicks(data[0], data[1]);
  return { ticks, lo: ticks[0]!, hi: ticks[ticks.length - 1]! };
}

function frame(opts: ChartOptions): Frame {
  for (const s of opts.series)
    if (s.band && s.band.length !== s.points.length)
      throw new RangeError(
        `series ${s.name}: band has ${s.band.length} entries for ${s.points.length} points`,
      );
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  let yData = dataRange(opts.series, 1);
  if (!opts.yRange)
    for (const h of opts.hLines ?? []) yData = [Math.min(yData[0], h.y), Math.max(yData[1], h.y)];
  const x = axisTicks(opts.xRange, dataRange(opts.series, 0));
  const y = axisTicks(opts.yRange, yData);
  const right = width - MARGIN.right - (opts.legend === 'right' ? LEGEND_WIDTH : 0);
  const bottom = height - MARGIN.bottom;
  const plotW = right - MARGIN.left;
  const plotH = bottom - MARGIN.top;
  const span = (a: number, b: number) => (b > a ? b - a : 1);
  return {
    width,
    height,
    right,
    bottom,
    xTicks: x.ticks,
    yTicks: y.ticks,
    x: (v) => MARGIN.left + ((v - x.lo) / span(x.lo, x.hi)) * plotW,
    y: (v) => bottom - ((v - y.lo) / span(y.lo, y.hi)) * plotH,
  };
}

const px = (v: number) => String(Math.round(v * 100) / 100);
const colorOf = (s: Series, k: number) => s.color ?? PALETTE[k % PALETTE.length]!;
const dashOf = (s: Series) => (s.dashed ? ' stroke-dasharray="6 3"' : '');

function axes(opts: ChartOptions, f: Frame): string[] {
  const { right, bottom } = f;
  const left = MARGIN.left;
  const top = MARGIN.top;
  const out = [
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#444"/>`,
  ];
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
        `<text x="${right - 4}" y="${px(f.y(h.y) - 4)}" text-anchor="end" fill="#666">${escapeXml(h.label)}</text>`,
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

function legend(opts: ChartOptions, f: Frame): string[] {
  const out: string[] = [];
  const outside = opts.legend === 'right';
  opts.series.forEach((s, k) => {
    const y = MARGIN.top + (outside ? 14 + 18 * k : 12 + 16 * k);
    const x = outside ? f.right + 10 : MARGIN.left + 10;
    out.push(
      `<line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${colorOf(s, k)}" stroke-width="2"${dashOf(s)}/>`,
    );
    out.push(`<text x="${x + 24}" y="${y}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  return out;
}

function wrap(opts: ChartOptions, f: Frame, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${f.width}" height="${f.height}" fill="white"/>`,
    ...axes(opts, f),
    ...body,
    ...legend(opts, f),
    '</svg>',
    '',
  ].join('\n');
}

/** Runs of consecutive drawable points (indices): a non-finite point or band edge ends a run. */
function runs(s: Series): number[][] {
  const out: number[][] = [[]];
  s.points.forEach((p, k) => {
    if (finite(p[0], ...yValues(s, k))) out[out.length - 1]!.push(k);
    else if (out[out.length - 1]!.length > 0) out.push([]);
  });
  return out.filter((r) => r.length > 0);
}

/**
 * Line chart; a non-finite point breaks the line into separate segments (an isolated point is a
 * dot). A series with a band gets it shaded under its line.
 */
export function lineChart(opts: ChartOptions): string {
  const f = frame(opts);
  const body: string[] = [];
  opts.series.forEach((s, k) => {
    const color = colorOf(s, k);
    const at = (i: number, y: number) => `${px(f.x(s.points[i]![0]))},${px(f.y(y))}`;
    for (const run of runs(s)) {
      if (s.band) {
        const upper = run.map((i) => at(i, s.band![i]![1]));
        const lower = run.map((i) => at(i, s.band![i]![0])).reverse();
        body.push(
          `<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.15" stroke="none"/>`,
        );
      }
      const line = run.map((i) => at(i, s.points[i]![1]));
      if (line.length === 1 && !opts.markers) {
        const [x, y] = s.points[run[0]!]!;
        body.push(`<circle cx="${px(f.x(x))}" cy="${px(f.y(y))}" r="2" fill="${color}"/>`);
      } else if (line.length > 1) {
        body.push(
          `<polyline fill="none" stroke="${color}" stroke-width="1.5"${dashOf(s)} points="${line.join(' ')}"/>`,
        );
      }
      if (!opts.markers) continue;
      for (const i of run) {
        const x = px(f.x(s.points[i]![0]));
        if (s.band) {
          const [lo, hi] = s.band[i]!;
          body.push(`<line x1="${x}" y1="${px(f.y(lo))}" x2="${x}" y2="${px(f.y(hi))}" stroke="${color}"/>`);
        }
        body.push(`<circle cx="${x}" cy="${px(f.y(s.points[i]![1]))}" r="3" fill="${color}"/>`);
      }
    }
  });
  return wrap(opts, f, body);
}

/** Scatter chart: one circle per finite point. */
export function scatterChart(opts: ChartOptions): string {
  const f = frame(opts);
  const body: string[] = [];
  opts.series.forEach((s, k) => {
    for (const [x, y] of s.points) {
      if (!finite(x, y)) continue;
      body.push(
        `<circle cx="${px(f.x(x))}" cy="${px(f.y(y))}" r="2.5" fill="${colorOf(s, k)}" fill-opacity="0.8"/>`,
      );
    }
  });
  return wrap(opts, f, body);
}
