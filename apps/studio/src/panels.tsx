/** The optimum's and the learned contract's panels: figures, menu tables and charts. */
import type { Contract, Market } from '@diffcontract/env';
import { BarChart, COLOURS, type Series } from './chart.js';
import { fixed, historyLabels, typeLabels, typeUtilities } from './contract-view.js';

export interface Task<T> {
  status: 'idle' | 'running' | 'done' | 'error';
  value?: T;
  error?: string;
  progress?: { done: number; total: number; what: string };
}

export function ProgressLine({ task, what }: { task: Task<unknown>; what: string }) {
  if (task.status !== 'running') return null;
  const p = task.progress;
  const share = p && p.total > 0 ? p.done / p.total : undefined;
  return (
    <div class="progress" role="status" data-testid="progress">
      <progress value={share} max={share === undefined ? undefined : 1} />
      <span>
        {what}
        {p && p.total > 1 ? ` ${p.done}/${p.total}` : ''}…
      </span>
    </div>
  );
}

export function MenuTable({ market, contract }: { market: Market<number>; contract: Contract<number> }) {
  const K = market.theta.length;
  const t = typeLabels(K);
  const item = (it: { q: number; reward: number }) => (
    <>
      <td>{fixed(it.q)}</td>
      <td>{fixed(it.reward)}</td>
    </>
  );
  return (
    <div class="tables">
      <table class="menu">
        <caption>Period 1: item for each reported type</caption>
        <thead>
          <tr>
            <th>report</th>
            <th>q</th>
            <th>reward</th>
          </tr>
        </thead>
        <tbody>
          {contract.period1.map((it, i) => (
            <tr>
              <th>{t[i]}</th>
              {item(it)}
            </tr>
          ))}
        </tbody>
      </table>
      <table class="menu">
        <caption>Period 2: item (q / reward) for each history (period-1 report → period-2 report)</caption>
        <thead>
          <tr>
            <th />
            {t.map((label) => (
              <th colSpan={2}>→ {label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {contract.period2.map((row, i) => (
            <tr>
              <th>{t[i]} →</th>
              {row.map(item)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface Overlay {
  label: string;
  contract: Contract<number>;
  colours: { q: string; r: string };
}

/** Menu and utility charts of one or more contracts over the same market (allocations overlaid). */
export function MenuCharts({ market, contracts }: { market: Market<number>; contracts: Overlay[] }) {
  const K = market.theta.length;
  const bars = (pick: (c: Contract<number>) => { q: number; reward: number }[]) =>
    contracts.flatMap((o): Series[] => [
      {
        label: `q (${o.label})`,
        data: pick(o.contract).map((x) => x.q),
        backgroundColor: o.colours.q,
        yAxisID: 'y',
      },
      {
        type: 'line',
        label: `reward (${o.label})`,
        data: pick(o.contract).map((x) => x.reward),
        borderColor: o.colours.r,
        backgroundColor: o.colours.r,
        yAxisID: 'y2',
      },
    ]);
  const utilities: Series[] = contracts.flatMap((o) => {
    const u = typeUtilities(market, o.contract);
    return [
      { label: `period 1 (${o.label})`, data: u.map((x) => x.period1), backgroundColor: o.colours.r },
      { label: `both periods (${o.label})`, data: u.map((x) => x.total), backgroundColor: o.colours.q },
    ];
  });
  return (
    <div class="charts">
      <BarChart
        title="Period-1 menu by reported type"
        labels={typeLabels(K)}
        series={bars((c) => c.period1)}
        yTitle="q"
        y2Title="reward"
        testId="chart-period1"
      />
      <BarChart
        title="Period-2 menu by history"
        labels={historyLabels(K)}
        series={bars((c) => c.period2.flat())}
        yTitle="q"
        y2Title="reward"
        testId="chart-period2"
      />
      <BarChart
        title="Each truthful type's utility (information rent)"
        labels={typeLabels(K)}
        series={utilities}
        yTitle="ES utility"
        testId="chart-utility"
      />
    </div>
  );
}

export const OPTIMUM_COLOURS = { q: COLOURS.optimumQ, r: COLOURS.optimumR };
export const LEARNED_COLOURS = { q: COLOURS.learnedQ, r: COLOURS.learnedR };
