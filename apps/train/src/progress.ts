/**
 * Progress display: a bar with ETA on a terminal, plain periodic lines otherwise (CI logs, pipes,
 * in-process tests), so logs stay readable when nobody watches them live.
 */
import { formatDuration } from '@diffcontract/report';
import cliProgress from 'cli-progress';

/** Where the CLI writes; tests pass string collectors. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: Output;
  stderr: Output;
  /** directory that relative paths and the default `runs/` resolve against */
  cwd: string;
}

export interface ProgressInfo {
  ratio?: number;
  violation?: number;
}

export interface Progress {
  start(total: number, done: number): void;
  /** `logged` marks a logging interval: the plain display prints a line only then. */
  update(done: number, info: ProgressInfo, logged: boolean): void;
  stop(): void;
}

const fmt = (v: number | undefined, digits: number) =>
  v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);

class PlainProgress implements Progress {
  private total = 0;
  private startDone = 0;
  private startTime = 0;
  constructor(
    private readonly out: Output,
    private readonly label: string,
    private readonly now: () => number,
  ) {}
  start(total: number, done: number): void {
    this.total = total;
    this.startDone = done;
    this.startTime = this.now();
  }
  update(done: number, info: ProgressInfo, logged: boolean): void {
    if (!logged && done < this.total) return;
    const elapsed = (this.now() - this.startTime) / 1000;
    const rate = (done - this.startDone) / Math.max(elapsed, 1e-9);
    const eta = rate > 0 ? (this.total - done) / rate : Number.NaN;
    const pct = ((100 * done) / this.total).toFixed(0);
    const figures =
      info.ratio === undefined ? '' : ` U/U* ${fmt(info.ratio, 3)} viol ${fmt(info.violation, 4)}`;
    this.out.write(
      `${this.label} ${done}/${this.total} (${pct}%)${figures} elapsed ${formatDuration(elapsed)} ETA ${formatDuration(eta)}\n`,
    );
  }
  stop(): void {}
}

class BarProgress implements Progress {
  private readonly bar: cliProgress.SingleBar;
  constructor(stream: Output, label: string) {
    this.bar = new cliProgress.SingleBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: `${label} |{bar}| {percentage}% {value}/{total} | ETA {eta_formatted} | U/U* {ratio} viol {violation}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
  }
  start(total: number, done: number): void {
    this.bar.start(total, done, { ratio: '-', violation: '-' });
  }
  update(done: number, info: ProgressInfo): void {
    this.bar.update(done, { ratio: fmt(info.ratio, 3), violation: fmt(info.violation, 4) });
  }
  stop(): void {
    this.bar.stop();
  }
}

export function createProgress(
  out: Output,
  label: string,
  now: () => number = () => performance.now(),
): Progress {
  return out.isTTY ? new BarProgress(out, label) : new PlainProgress(out, label, now);
}
