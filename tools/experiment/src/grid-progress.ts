/**
 * The coordinator's view of a grid on Redis: done / running / waiting over the whole grid and what
 * each worker is training. On a terminal one line rewritten in place; elsewhere (CI, pipes, turbo) a
 * line whenever the set of running runs changes.
 */
import type { RunJobProgress } from './grid.js';

export interface GridSnapshot {
  total: number;
  done: number;
  failed: number;
  /** running runs with their worker's last report (null before the first one) */
  running: { id: string; progress: RunJobProgress | null }[];
}

/** `4/6 done, 2 running, 0 waiting | host:12 edmsac-s1 8/24 | host:13 sac-s1 4/24` */
export function gridStatusLine(s: GridSnapshot, withSteps = true): string {
  const waiting = s.total - s.done - s.failed - s.running.length;
  const head = `${s.done}/${s.total} done${s.failed > 0 ? `, ${s.failed} failed` : ''}, ${s.running.length} running, ${waiting} waiting`;
  const byWorker = new Map<string, string[]>();
  for (const r of s.running) {
    const worker = r.progress?.worker ?? '?';
    const steps = withSteps && r.progress ? ` ${r.progress.step}/${r.progress.steps}` : '';
    byWorker.set(worker, [...(byWorker.get(worker) ?? []), `${r.id}${steps}`]);
  }
  const parts = [...byWorker.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([w, runs]) => `${w} ${runs.join(', ')}`);
  return [head, ...parts].join(' | ');
}

export function createGridProgress(out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) {
  let last = '';
  return {
    update(s: GridSnapshot) {
      if (out.isTTY) {
        const line = gridStatusLine(s).slice(0, Math.max(20, (out.columns ?? 120) - 1));
        out.write(`\r\x1b[K${line}`);
        return;
      }
      const line = gridStatusLine(s, false);
      if (line !== last) out.write(`${line}\n`);
      last = line;
    },
    /** a line of its own (a finished run, a refusal), not overwritten by the status line */
    note(line: string) {
      out.write(out.isTTY ? `\r\x1b[K${line}\n` : `${line}\n`);
    },
    stop() {
      if (out.isTTY) out.write('\n');
    },
  };
}
