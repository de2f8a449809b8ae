// A learning curve with its mean ± 1 sd band over seeds, and a per-market scatter, as SVG files.
// Run after `pnpm build`: node packages/report/examples/quickstart.mjs [OUT_DIR]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration, lineChart, scatterChart } from '@diffcontract/report';

const out = process.argv[2] ?? '.';
const updates = [0, 500, 1000, 1500, 2000];
const mean = [0.2, 0.71, 0.9, 0.95, 0.97];
const sd = [0.1, 0.08, 0.03, 0.01, 0.01];
const curve = lineChart({
  title: 'probe U/U* (mean ± 1 sd, 5 seeds)',
  xLabel: 'SAC updates',
  yLabel: 'U/U*',
  series: [
    {
      name: 'EDMSAC',
      points: updates.map((x, k) => [x, mean[k]]),
      band: updates.map((_, k) => [mean[k] - sd[k], mean[k] + sd[k]]),
    },
  ],
  hLines: [{ y: 1, label: 'optimum' }],
});
const perMarket = scatterChart({
  title: 'U/U* per market',
  xLabel: 'market',
  yLabel: 'U/U*',
  series: [{ name: 'delivered', points: [0, 1, 2, 3].map((m) => [m, 0.95 + 0.01 * m]) }],
});
writeFileSync(join(out, 'curve.svg'), curve);
writeFileSync(join(out, 'per-market.svg'), perMarket);
console.log(
  `wrote curve.svg (${curve.length} bytes) and per-market.svg to ${out}; ETA ${formatDuration(3725)}`,
);
