/**
 * Progress bars for the tour's long steps. On a terminal the bar redraws in
 * place (at most every 80 ms); elsewhere (logs, CI, tests) one line is
 * printed when the step finishes, so output stays readable.
 */
export interface ProgressSink {
  write(s: string): unknown;
  isTTY?: boolean;
}

export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly start = performance.now();
  private finished = false;

  constructor(
    readonly label: string,
    readonly total: number,
    private readonly sink: ProgressSink | null,
  ) {}

  /** Advances by `n` units; `info` (e.g. the current loss) is shown after the bar. */
  tick(n = 1, info = ''): void {
    this.done = Math.min(this.total, this.done + n);
    if (!this.sink?.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < 80 && this.done < this.total) return;
    this.lastDraw = now;
    this.sink.write(`\r${this.line(info)}\x1b[K`);
  }

  /** Finishes the bar and prints its final line with the elapsed time. */
  finish(info = ''): void {
    if (this.finished) return;
    this.finished = true;
    this.done = this.total;
    if (!this.sink) return;
    const secs = ((performance.now() - this.start) / 1000).toFixed(1);
    const text = `${this.line(info)} ${secs}s`;
    this.sink.write(this.sink.isTTY ? `\r${text}\x1b[K\n` : `${text}\n`);
  }

  private line(info: string): string {
    const width = 24;
    const frac = this.total > 0 ? this.done / this.total : 1;
    const full = Math.round(frac * width);
    const bar = '█'.repeat(full) + '░'.repeat(width - full);
    const pct = `${Math.round(frac * 100)}`.padStart(3);
    return `  ${this.label.padEnd(34)} ${bar} ${pct}%${info ? `  ${info}` : ''}`;
  }
}

/** Makes progress bars that write to `sink` (null: silent). */
export function progressFactory(
  sink: ProgressSink | null,
): (label: string, total: number) => ProgressBar {
  return (label, total) => new ProgressBar(label, total, sink);
}
