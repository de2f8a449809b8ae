import { describe, expect, it } from 'vitest';
import { escapeXml, LEGEND_WIDTH, lineChart, MARGIN, scatterChart } from './chart.js';

function attrs(svg: string, tag: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const m of svg.matchAll(new RegExp(`<${tag} ([^>]*?)/?>`, 'g'))) {
    const rec: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([a-z0-9-]+)="([^"]*)"/g)) rec[a[1]!] = a[2]!;
    out.push(rec);
  }
  return out;
}

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

describe('lineChart with bands', () => {
  // plot 150 x 100 px: width 64 + 150 + 16 + LEGEND_WIDTH, height 36 + 100 + 48
  const geometry = {
    width: MARGIN.left + 150 + MARGIN.right + LEGEND_WIDTH,
    height: 184,
    legend: 'right' as const,
  };

  it('shades [lower, upper] under the line and puts the legend right of the plot', () => {
    const svg = lineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      ...geometry,
      series: [
        {
          name: 'mean',
          color: '#000',
          points: [
            [0, 0.5],
            [10, 0.5],
          ],
          band: [
            [0, 1],
            [0.25, 0.75],
          ],
        },
      ],
    });
    // ticks x 0..10, y 0..1: x 0 -> 64, 10 -> 214; y 0 -> 136, 1 -> 36
    expect(attrs(svg, 'polyline')[0]!.points).toBe('64,86 214,86');
    expect(attrs(svg, 'polygon')[0]!.points).toBe('64,36 214,61 214,111 64,136');
    expect(svg).toContain('>mean</text>');
    const key = attrs(svg, 'line').find((l) => l['stroke-width'] === '2')!;
    expect(Number(key.x1)).toBe(214 + 10); // right of the plot rectangle
  });

  it('widens the y axis to the band, breaks band and line at a non-finite edge, draws error bars', () => {
    const svg = lineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      markers: true,
      ...geometry,
      series: [
        {
          name: 's',
          color: '#000',
          points: [
            [0, 0.4],
            [1, 0.5],
            [2, 0.5],
            [3, 0.6],
            [4, 0.5],
          ],
          band: [
            [0.3, 0.5],
            [0.4, 0.6],
            [Number.NaN, 0.6],
            [-1.5, 2.5],
            [0.4, 0.6],
          ],
        },
      ],
    });
    const yTickLabels = [...svg.matchAll(/text-anchor="end" dominant-baseline="middle">([^<]*)</g)].map((m) =>
      Number(m[1]),
    );
    expect(Math.min(...yTickLabels)).toBeLessThanOrEqual(-1.5);
    expect(Math.max(...yTickLabels)).toBeGreaterThanOrEqual(2.5);
    // runs [0, 1] and [3, 4]: two bands, two lines; a marker and an error bar per drawn point
    expect(attrs(svg, 'polygon')).toHaveLength(2);
    expect(attrs(svg, 'polyline')).toHaveLength(2);
    expect(attrs(svg, 'circle')).toHaveLength(4);
    const bars = attrs(svg, 'line').filter((l) => l.stroke === '#000' && l.x1 === l.x2);
    expect(bars).toHaveLength(4);
  });

  it('refuses a band whose length is not the number of points', () => {
    expect(() =>
      lineChart({
        title: 't',
        xLabel: 'x',
        yLabel: 'y',
        series: [{ name: 's', points: [[0, 1]], band: [] }],
      }),
    ).toThrow(/band/);
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
