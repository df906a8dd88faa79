/** What the CLI tells the user while it works; silent unless stderr is a terminal. */
export interface Progress {
  /** Records read so far in the current file (inline runs only). */
  records(count: number): void;
  /** A history finished (in any order: batch workers finish out of order). */
  fileDone(): void;
  /** The history the output now waits on, and the operations of those already printed (for ops/s). */
  current(file: string, operationsSoFar: number): void;
  /** Takes the bar off the screen so a line can be printed; the next update draws it again. */
  clear(): void;
  /** Draws the bar again after `clear`. */
  redraw(): void;
  stop(): void;
}

export const SILENT: Progress = { records() {}, fileDone() {}, current() {}, clear() {}, redraw() {}, stop() {} };

export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

const FRAME_MS = 200;
const BAR_WIDTH = 20;

/**
 * A bar on stderr that stays through a batch: histories done / total, ops/s, elapsed time and the
 * history the output waits on. Printing goes through clear/redraw, so lines never garble it.
 */
export class TerminalProgress implements Progress {
  private done = 0;
  private recordCount = 0;
  private operations = 0;
  private file = "";
  private drawn = false;
  private stopped = false;
  private lastFrame = 0;
  private readonly started: number;
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    this.ticker = setInterval(() => this.redraw(), 1000);
    this.ticker.unref();
  }

  records(count: number): void {
    this.recordCount = count;
    if (this.now() - this.lastFrame >= FRAME_MS) this.redraw();
  }

  fileDone(): void {
    this.done++;
    this.redraw();
  }

  current(file: string, operationsSoFar: number): void {
    this.file = file;
    this.operations = operationsSoFar;
    this.recordCount = 0;
    this.redraw();
  }

  clear(): void {
    if (this.drawn) this.stream.write("\r\x1b[K");
    this.drawn = false;
  }

  redraw(): void {
    if (this.stopped) return;
    this.lastFrame = this.now();
    this.stream.write(`\r${this.line()}\x1b[K`);
    this.drawn = true;
  }

  stop(): void {
    this.clear();
    this.stopped = true;
    clearInterval(this.ticker);
  }

  /** The bar's text, cut to the terminal's width. */
  line(): string {
    const seconds = Math.max((this.now() - this.started) / 1000, 0.001);
    const elapsed = `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;
    let text: string;
    if (this.total > 1) {
      const filled = Math.round((BAR_WIDTH * this.done) / this.total);
      const rate = Math.round(this.operations / seconds).toLocaleString("en");
      text = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${this.done}/${this.total} histories · ${rate} ops/s · ${elapsed}${this.file ? ` · ${this.file}` : ""}`;
    } else {
      text = `reading ${this.recordCount.toLocaleString("en")} records · ${Math.round(this.recordCount / seconds).toLocaleString("en")} records/s · ${elapsed}${this.file ? ` · ${this.file}` : ""}`;
    }
    const width = (this.stream.columns ?? 80) - 1;
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  }
}
