import { SILENT, TerminalProgress, type Progress } from "../progress.ts";

/** The effects the CLI has on the world, so tests can run it in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  setExitCode(code: number): void;
  colour: boolean;
  /** A progress display for `files` histories (silent when not on a terminal). */
  progress(files: number): Progress;
}

type Env = Record<string, string | undefined>;

/** FORCE_COLOR wins (as in Node itself), then NO_COLOR and TERM=dumb turn colour off; else only on a terminal. */
export function colourWanted(env: Env, isTerminal: boolean): boolean {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return isTerminal;
}

/** A bar needs cursor control: a real terminal that is not TERM=dumb. */
export function progressWanted(env: Env, isTerminal: boolean): boolean {
  return isTerminal && env.TERM !== "dumb";
}

const CONTROL = /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * A file name as printed on a line of output: control characters (newline, CR, ESC …) and the
 * backslash escaped, so no name can forge a verdict line or move the cursor.
 */
export function escapeName(name: string): string {
  return name.replace(CONTROL, (c) => NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

const COLOURS = { valid: "\x1b[32m", invalid: "\x1b[31m", unknown: "\x1b[33m" } as const;

export function paint(word: "valid" | "invalid" | "unknown", colour: boolean): string {
  return colour ? `${COLOURS[word]}${word}\x1b[0m` : word;
}

/**
 * The process's Io. A closed stdout or stderr (`| head -1`: EPIPE) ends writing to it, quietly:
 * the run finishes (reports are still written) and exits with the verdict's code.
 */
export function processIo(): Io {
  const env = process.env;
  let active: Progress = SILENT;
  const writer = (stream: NodeJS.WriteStream): ((text: string) => void) => {
    let closed = false;
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
      closed = true;
    });
    return (text) => {
      if (closed || stream.destroyed) return;
      active.clear();
      stream.write(text);
      active.redraw();
    };
  };
  return {
    out: writer(process.stdout),
    err: writer(process.stderr),
    setExitCode: (code) => {
      process.exitCode = code;
    },
    colour: colourWanted(env, Boolean(process.stdout.isTTY)),
    progress: (files) => {
      if (!progressWanted(env, Boolean(process.stderr.isTTY))) return SILENT;
      // A stopped bar neither clears nor redraws, so it may stay `active`.
      active = new TerminalProgress(files, process.stderr);
      return active;
    },
  };
}
