import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main, type Io } from "../../src/cli.ts";
import { SILENT } from "../../src/progress.ts";
import type { History } from "../../src/history/history.ts";
import type { RawOp } from "../../src/history/op.ts";
import { Pairer } from "../../src/history/pair.ts";

const made: string[] = [];

function removeMade(): void {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A folder still in use (a mount a failed test left) stays; the test said what failed.
    }
  }
}

/** A fresh temporary folder for one test, removed when the test file's process exits. */
export function tempDir(): string {
  // node --test runs each file in a process of its own: without this, every run left ~2 GB behind.
  if (made.length === 0) process.once("exit", removeMade);
  const dir = mkdtempSync(join(tmpdir(), "hindsight-test-"));
  made.push(dir);
  return dir;
}

/** Writes `lines` as a file in a fresh temporary folder and returns its path. */
export function writeTemp(name: string, content: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

export function ndjson(records: object[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/** A History built in memory from records, as load.ts would build it from a file. */
export function historyOf(records: RawOp[], file = "test.ndjson"): History {
  const pairer = new Pairer();
  for (const r of records) pairer.add(r);
  return {
    file,
    format: "ndjson",
    recordCount: records.length,
    operations: pairer.finish(),
    skipped: [],
    skippedCount: 0,
    warnings: pairer.warnings,
    annotations: {},
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, capturing output and exit code. */
export async function runCli(args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  let code = 0;
  const io: Io = {
    out: (s) => void (stdout += s),
    err: (s) => void (stderr += s),
    setExitCode: (c) => void (code = c),
    colour: false,
    progress: () => SILENT,
  };
  await main(args, io);
  return { code, stdout, stderr };
}
