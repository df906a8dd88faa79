import cliProgress from "cli-progress";

/** What the CLI tells the user while it works; silent unless stderr is a terminal. */
export interface Progress {
  /** Records read so far in the current file (inline runs only). */
  records(count: number): void;
  /** A history finished (batch runs). */
  fileDone(): void;
  stop(): void;
}

export const SILENT: Progress = { records() {}, fileDone() {}, stop() {} };

/** A progress bar on stderr, for terminals only: nothing on a pipe, in CI logs or with --quiet. */
export function terminalProgress(files: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: files > 1 ? "analyzing [{bar}] {value}/{total} histories · {duration_formatted}" : "reading {records} records · {duration_formatted}",
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(files, 0, { records: "0" });
  return {
    records: (count) => bar.update({ records: count.toLocaleString("en") }),
    fileDone: () => bar.increment(),
    stop: () => bar.stop(),
  };
}
