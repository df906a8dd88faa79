import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = fileURLToPath(new URL("../../src/bin/hindsight.ts", import.meta.url));

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  /** Close our end of the child's stdout at once, as `| head -1` does after its line. */
  closeStdout?: boolean;
  /** The child's standard input: a file descriptor to read (as `< FILE` gives), else none. */
  stdin?: number;
  /** Called once the child runs, e.g. to send it a signal. */
  started?: (child: ChildProcess) => void;
}

/** Runs the real CLI (`hindsight ARGS…`) in its own process, with real pipes. */
export function spawnCli(args: string[], options: SpawnOptions = {}): Promise<Exited> {
  const child = spawn(process.execPath, ["--import", "tsx", BIN, ...args], { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: [options.stdin ?? "ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  // Both are pipes, as asked above.
  const [out, err] = [child.stdout!, child.stderr!];
  if (options.closeStdout) out.destroy();
  else out.on("data", (d: Buffer) => void (stdout += d.toString()));
  err.on("data", (d: Buffer) => void (stderr += d.toString()));
  options.started?.(child);
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** True when the output shows a Node stack trace or an unhandled error. */
export function crashed(text: string): boolean {
  return /\n\s+at |Unhandled|node:internal|ERR_[A-Z_]+/.test(text);
}
