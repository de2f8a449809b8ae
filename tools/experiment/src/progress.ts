/**
 * Progress of the run queue: a bar with ETA on a terminal, one plain line per finished run otherwise
 * (turbo, CI and pipes are not terminals).
 */
import { formatDuration } from '@diffcontract/report';
import cliProgress from 'cli-progress';

export interface QueueProgress {
  started(id: string): void;
  finished(id: string, ok: boolean, seconds: number): void;
  stop(): void;
}

/** Work-weighted ETA: `weights` of the remaining runs over the rate achieved so far. */
export function createQueueProgress(
  out: NodeJS.WritableStream & { isTTY?: boolean },
  weights: ReadonlyMap<string, number>,
  now: () => number = () => performance.now(),
): QueueProgress {
  const total = [...weights.values()].reduce((s, w) => s + w, 0);
  const start = now();
  let doneWeight = 0;
  let doneRuns = 0;
  const running = new Set<string>();
  const eta = () => {
    const elapsed = (now() - start) / 1000;
    return doneWeight > 0 ? (elapsed * (total - doneWeight)) / doneWeight : Number.NaN;
  };
  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: out,
        format: 'experiment |{bar}| {runs}/{count} runs | elapsed {elapsed} | ETA {etaText} | {running}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const payload = () => ({
      runs: doneRuns,
      count: weights.size,
      elapsed: formatDuration((now() - start) / 1000),
      etaText: formatDuration(eta()),
      running: [...running].join(' '),
    });
    bar.start(total, 0, payload());
    return {
      started(id) {
        running.add(id);
        bar.update(doneWeight, payload());
      },
      finished(id) {
        running.delete(id);
        doneWeight += weights.get(id) ?? 0;
        doneRuns++;
        bar.update(doneWeight, payload());
      },
      stop() {
        bar.stop();
      },
    };
  }
  return {
    started(id) {
      running.add(id);
      out.write(`start ${id}\n`);
    },
    finished(id, ok, seconds) {
      running.delete(id);
      doneWeight += weights.get(id) ?? 0;
      doneRuns++;
      const elapsed = formatDuration((now() - start) / 1000);
      out.write(
        `[${doneRuns}/${weights.size}] ${ok ? 'done' : 'FAILED'} ${id} (${formatDuration(seconds)}) elapsed ${elapsed} ETA ${formatDuration(eta())}\n`,
      );
    },
    stop() {},
  };
}
