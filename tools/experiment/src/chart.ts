/**
 * A tiny SVG line chart with shaded bands (mean line, mean +- spread band per series), enough for
 * learning curves across seeds and sweep plots. Same idea as the training app's chart (fixed plot
 * rectangle in margins, linear axes, 1-2-5 ticks); written here because tools do not import app
 * internals.
 */

export interface BandSeries {
  name: string;
  color: string;
  /** x, mean, lower and upper edge of the band; non-finite points are skipped */
  points: ReadonlyArray<{ x: number; y: number; lo: number; hi: number }>;
  dashed?: boolean;
}

export interface BandChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: BandSeries[];
  width?: number;
  height?: number;
  /** horizontal reference lines, e.g. U/U* = 1 (the optimum) */
  hLines?: ReadonlyArray<{ y: number; label: string }>;
  /** draw a marker at every point (sweeps) */
  markers?: boolean;
}

export const MARGIN = { left: 64, right: 150, top: 36, bottom: 48 } as const;

/** Ticks with a step of 1, 2 or 5 x 10^k covering [min, max] in about `count` steps. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const e = raw / power;
  const step = (e >= Math.sqrt(50) ? 10 : e >= Math.sqrt(10) ? 5 : e >= Math.SQRT2 ? 2 : 1) * power;
  const ticks: number[] = [];
  for (let k = Math.floor(min / step + 1e-9); k <= Math.ceil(max / step - 1e-9); k++) {
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const px = (v: number) => String(Math.round(v * 100) / 100);
const label = (v: number) =>
  v === 0
    ? '0'
    : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3
      ? v.toExponential(1)
      : String(Number(v.toPrecision(4)));

export function renderBandChart(chart: BandChart): string {
  const width = chart.width ?? 720;
  const height = chart.height ?? 380;
  const finite = chart.series.flatMap((s) =>
    s.points.filter((p) => [p.x, p.y, p.lo, p.hi].every(Number.isFinite)),
  );
  const xs = finite.map((p) => p.x);
  const ys = [...finite.flatMap((p) => [p.lo, p.hi, p.y]), ...(chart.hLines ?? []).map((h) => h.y)];
  const xTicks = niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1);
  const yTicks = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1);
  const [x0, x1] = [xTicks[0]!, xTicks[xTicks.length - 1]!];
  const [y0, y1] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const X = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0 || 1)) * plotW;
  const Y = (v: number) => MARGIN.top + plotH - ((v - y0) / (y1 - y0 || 1)) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${px(MARGIN.left + plotW / 2)}" y="20" text-anchor="middle" font-size="14">${esc(chart.title)}</text>`,
  ];
  for (const t of yTicks) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${px(Y(t))}" x2="${MARGIN.left + plotW}" y2="${px(Y(t))}" stroke="#e4e4e4"/>`,
      `<text x="${MARGIN.left - 6}" y="${px(Y(t))}" text-anchor="end" dominant-baseline="middle">${esc(label(t))}</text>`,
    );
  }
  for (const t of xTicks) {
    out.push(
      `<line x1="${px(X(t))}" y1="${MARGIN.top + plotH}" x2="${px(X(t))}" y2="${MARGIN.top + plotH + 4}" stroke="#444"/>`,
      `<text x="${px(X(t))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${esc(label(t))}</text>`,
    );
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
    `<text x="${px(MARGIN.left + plotW / 2)}" y="${height - 10}" text-anchor="middle">${esc(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${px(MARGIN.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${esc(chart.yLabel)}</text>`,
  );
  for (const h of chart.hLines ?? []) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${px(Y(h.y))}" x2="${MARGIN.left + plotW}" y2="${px(Y(h.y))}" stroke="#888" stroke-dasharray="2 3"/>`,
      `<text x="${MARGIN.left + plotW - 4}" y="${px(Y(h.y) - 4)}" text-anchor="end" fill="#666">${esc(h.label)}</text>`,
    );
  }
  chart.series.forEach((s, i) => {
    const pts = s.points.filter((p) => [p.x, p.y, p.lo, p.hi].every(Number.isFinite));
    if (pts.length === 0) return;
    const upper = pts.map((p) => `${px(X(p.x))},${px(Y(p.hi))}`);
    const lower = pts.map((p) => `${px(X(p.x))},${px(Y(p.lo))}`).reverse();
    out.push(
      `<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.color}" fill-opacity="0.15" stroke="none"/>`,
    );
    const dash = s.dashed ? ' stroke-dasharray="6 3"' : '';
    out.push(
      `<polyline points="${pts.map((p) => `${px(X(p.x))},${px(Y(p.y))}`).join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`,
    );
    if (chart.markers) {
      for (const p of pts) {
        out.push(
          `<line x1="${px(X(p.x))}" y1="${px(Y(p.lo))}" x2="${px(X(p.x))}" y2="${px(Y(p.hi))}" stroke="${s.color}"/>`,
          `<circle cx="${px(X(p.x))}" cy="${px(Y(p.y))}" r="3" fill="${s.color}"/>`,
        );
      }
    }
    const ly = MARGIN.top + 14 + 18 * i;
    const lx = MARGIN.left + plotW + 10;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
