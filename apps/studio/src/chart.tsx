/** A Chart.js bar/line chart as a Preact component; only the pieces used are registered (bundle size). */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

export type Series = ChartDataset<'bar' | 'line', number[]> & { yAxisID?: 'y' | 'y2' };

export interface ChartProps {
  title: string;
  labels: string[];
  series: Series[];
  yTitle: string;
  /** a second axis on the right (rewards next to contributions) */
  y2Title?: string;
  testId?: string;
}

export const COLOURS = {
  optimumQ: '#2563eb',
  optimumR: '#93c5fd',
  learnedQ: '#ea580c',
  learnedR: '#fdba74',
  file: '#7c3aed',
};

export function BarChart({ title, labels, series, yTitle, y2Title, testId }: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (canvas.current === null) return;
    const scales: Record<string, object> = {
      y: { title: { display: true, text: yTitle }, beginAtZero: true },
    };
    if (y2Title !== undefined)
      scales.y2 = {
        position: 'right',
        title: { display: true, text: y2Title },
        beginAtZero: true,
        grid: { drawOnChartArea: false },
      };
    chart.current?.destroy();
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series as ChartDataset<'bar' | 'line', number[]>[] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: false }, legend: { position: 'bottom' } },
        scales,
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [labels, series, yTitle, y2Title]);
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div class="chart-box">
        <canvas ref={canvas} />
      </div>
    </figure>
  );
}
