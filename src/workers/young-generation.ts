import { spawn } from "node:child_process";
import { fstatSync, statSync } from "node:fs";
import { constants } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Reading a large history makes millions of short-lived objects. With V8's default young
 * generation (16 MB semi-spaces) many of them survive into the old generation and full
 * collections follow: a 1M-transaction txn run took 4.4 s or 6.2 s, by luck; with 64 MB
 * semi-spaces 4.4 s every time, for ~60 MB more peak memory (docs/decisions.md). V8 sizes the
 * young generation when the process starts, so a large analysis runs in a process started so.
 */
const FLAG = "--max-semi-space-size=64";

/** Inputs at least this large in total are worth a second start (~50 ms). */
export const LARGE_INPUT_BYTES = 64 * 1024 * 1024;

/** The size of standard input when it is a regular file (`< h.ndjson`); a pipe's is not known. */
function standardInputFileBytes(): number {
  try {
    const info = fstatSync(0);
    return info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}

/** The bytes of the regular files named in `args` (options, their values and folders count nothing; `-` counts `stdinBytes`). */
function inputBytes(args: readonly string[], stdinBytes: () => number): number {
  let bytes = 0;
  for (const arg of args) {
    if (arg === "-") {
      bytes += stdinBytes();
      continue;
    }
    try {
      const info = statSync(arg);
      if (info.isFile()) bytes += info.size;
    } catch {
      // Not a file (an option, a missing path): the analysis says so, not this.
    }
  }
  return bytes;
}

/**
 * Whether `analyze ARGS…` should run in a process with the larger young generation: not under
 * --memory-limit, which asks for less memory (the larger semi-spaces of every thread cost ~170 MB
 * more peak on a 10M-record set history, for no time saved).
 */
export function wantsLargeYoungGeneration(args: readonly string[], execArgv: readonly string[] = process.execArgv, stdinBytes = standardInputFileBytes): boolean {
  if (execArgv.some((a) => a.startsWith("--max-semi-space-size")) || args.some((a) => a === "--memory-limit" || a.startsWith("--memory-limit="))) return false;
  return inputBytes(args, stdinBytes) >= LARGE_INPUT_BYTES;
}

/**
 * This process's node flags for the child, less two of the launcher's (scripts/build-snapshot.mjs):
 * the start-up snapshot, which V8 refuses under other V8 flags than it was built with (the child's
 * young generation is one), and the one-thread V8 pool, which suits short runs (a 300k-txn run was
 * 1.02× with it).
 */
export function largeRunFlags(execArgv: readonly string[]): string[] {
  return execArgv.filter((flag, i) => !flag.startsWith("--snapshot-blob") && execArgv[i - 1] !== "--snapshot-blob" && !flag.startsWith("--v8-pool-size"));
}

/**
 * Runs `hindsight ARGV…` again in a child process with the larger young generation, the same
 * standard streams, and its exit status as this process's. Ctrl-C reaches both (one process
 * group): the child answers it, this process only waits. False when the child could not start
 * (the caller then runs the command itself).
 */
export function rerunWithLargeYoungGeneration(argv: readonly string[]): Promise<boolean> {
  const here = fileURLToPath(import.meta.url);
  const entry = fileURLToPath(new URL(`../bin/hindsight${extname(here)}`, import.meta.url));
  const child = spawn(process.execPath, [...largeRunFlags(process.execArgv), FLAG, entry, ...argv], { stdio: "inherit" });
  const wait = (): void => undefined;
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on("SIGINT", wait);
  process.on("SIGTERM", forward);
  const done = (): void => {
    process.off("SIGINT", wait);
    process.off("SIGTERM", forward);
  };
  return new Promise((resolve) => {
    child.on("error", () => {
      done();
      resolve(false);
    });
    child.on("exit", (code, signal) => {
      done();
      process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
      resolve(true);
    });
  });
}
