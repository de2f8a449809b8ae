export {
  type ChartOptions,
  escapeXml,
  LEGEND_WIDTH,
  lineChart,
  MARGIN,
  type Series,
  scatterChart,
} from './chart.js';
export { formatDuration } from './duration.js';
export { formatTick, niceTicks } from './ticks.js';
