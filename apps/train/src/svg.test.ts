import { describe, expect, it } from 'vitest';
import { escapeXml, formatTick, lineChart, MARGIN, niceTicks, scatterChart } from './svg.js';

function attrs(svg: string, tag: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const m of svg.matchAll(new RegExp(`<${tag} ([^>]*?)/?>`, 'g'))) {
    const rec: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([a-z-]+)="([^"]*)"/g)) rec[a[1]!] = a[2]!;
    out.push(rec);
  }
  return out;
}

describe('niceTicks', () => {
  it('uses steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0.37, 0.92)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(niceTicks(-3, 7)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });
  it('covers the range and keeps labels free of float drift', () => {
    for (const [lo, hi] of [
      [0.1, 0.7],
      [-0.013, 0.002],
      [12345, 98765],
      [1e-6, 3e-6],
    ] as const) {
      const t = niceTicks(lo, hi);
      expect(t[0]!).toBeLessThanOrEqual(lo);
      expect(t[t.length - 1]!).toBeGreaterThanOrEqual(hi);
      expect(t.length).toBeGreaterThanOrEqual(2);
      expect(t.length).toBeLessThanOrEqual(11);
      for (const v of t) expect(String(v)).not.toMatch(/0000000|9999999/);
    }
  });
  it('opens a window around a constant series', () => {
    const t = niceTicks(2, 2);
    expect(t[0]!).toBeLessThan(2);
    expect(t[t.length - 1]!).toBeGreaterThan(2);
    expect(niceTicks(0, 0)).toContain(0);
  });
});

describe('formatTick', () => {
  it('prints short labels', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.2)).toBe('0.2');
    expect(formatTick(1500)).toBe('1500');
    expect(formatTick(2e6)).toBe('2.0e6');
    expect(formatTick(1 / 3)).toBe('0.3333');
  });
});

describe('lineChart', () => {
  it('maps data to the plot rectangle linearly', () => {
    const svg = lineChart({
      title: 'U/U*',
      xLabel: 'step',
      yLabel: 'ratio',
      width: 400,
      height: 300,
      xRange: [0, 10],
      yRange: [0, 1],
      series: [
        {
          name: 'a',
          points: [
            [0, 0],
            [5, 0.5],
            [10, 1],
          ],
        },
      ],
    });
    const poly = attrs(svg, 'polyline');
    expect(poly).toHaveLength(1);
    const plotW = 400 - MARGIN.left - MARGIN.right;
    const plotH = 300 - MARGIN.top - MARGIN.bottom;
    const expected = [
      [MARGIN.left, MARGIN.top + plotH],
      [MARGIN.left + plotW / 2, MARGIN.top + plotH / 2],
      [MARGIN.left + plotW, MARGIN.top],
    ];
    const got = poly[0]!.points!.split(' ').map((p) => p.split(',').map(Number));
    expect(got).toEqual(expected);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it('breaks the line at non-finite points and marks isolated points', () => {
    const svg = lineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        {
          name: 's',
          points: [
            [0, 1],
            [1, 2],
            [2, Number.NaN],
            [3, 1],
            [4, Number.POSITIVE_INFINITY],
            [5, 3],
            [6, 2],
          ],
        },
      ],
    });
    const poly = attrs(svg, 'polyline');
    expect(poly.map((p) => p.points!.split(' ').length)).toEqual([2, 2]);
    expect(attrs(svg, 'circle')).toHaveLength(1);
  });

  it('escapes text and widens the y axis to include reference lines', () => {
    const svg = lineChart({
      title: 'U < U* & "ok"',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        {
          name: "it's",
          points: [
            [0, 0.2],
            [1, 0.4],
          ],
        },
      ],
      hLines: [{ y: 1, label: 'optimum' }],
    });
    expect(svg).toContain('U &lt; U* &amp; &quot;ok&quot;');
    expect(svg).toContain('it&apos;s');
    const labels = [...svg.matchAll(/dominant-baseline="middle">([^<]*)</g)].map((m) => m[1]);
    expect(labels).toContain('1');
    expect(svg).toContain('stroke-dasharray');
  });
});

describe('scatterChart', () => {
  it('draws one circle per finite point in each series', () => {
    const svg = scatterChart({
      title: 'per market',
      xLabel: 'market',
      yLabel: 'U/U*',
      series: [
        {
          name: 'raw',
          points: [
            [0, 0.5],
            [1, Number.NaN],
            [2, 0.7],
          ],
        },
        {
          name: 'repaired',
          points: [
            [0, 0.9],
            [1, 0.95],
            [2, 0.99],
          ],
          color: '#000000',
        },
      ],
    });
    const circles = attrs(svg, 'circle');
    expect(circles).toHaveLength(5);
    expect(circles.filter((c) => c.fill === '#000000')).toHaveLength(3);
    // y grows upward: the higher value sits at a smaller pixel coordinate
    const ys = circles.filter((c) => c.fill === '#000000').map((c) => Number(c.cy));
    expect(ys[0]!).toBeGreaterThan(ys[2]!);
  });

  it('escapes XML metacharacters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});
