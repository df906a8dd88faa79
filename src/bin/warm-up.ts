import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../cli.ts";
import { ednLine } from "../convert.ts";
import type { Op } from "../history/op.ts";
import { SILENT } from "../progress.ts";
import { ednValue } from "../report/edn.ts";
import { simulateToFile } from "../simulate/run.ts";
import { SAMPLES } from "../simulate/samples.ts";

/** The shipped samples (their options, not their files) that the warm-up runs: every checker, and valid and invalid verdicts of each. */
const WARMED_BEHAVIOURS = new Set(["majority", "async-failover", "snapshot-txn", "lww"]);

/**
 * Analyzes a small history of every workload, in every format a parser reads, with every report,
 * in the folder `work`: what is built once per install keeps what that compiled. The start-up
 * snapshot keeps the bytecode of every function the warm-up ran (V8 keeps a snapshot's compiled
 * functions), so a run does not compile them again (scripts/build-snapshot.mjs); the chart
 * bundle's code cache keeps the drawing functions (scripts/chart-code-cache.mjs). Throws when the
 * analysis could not run (exit code above 1).
 */
export async function warmUp(work: string): Promise<void> {
  const files: string[] = [];
  let register: Op[] = [];
  const samples = SAMPLES.filter((s) => WARMED_BEHAVIOURS.has(s.options.behaviour) && s.file !== "run-17.ndjson");
  for (const { file, options } of samples) {
    const text: string[] = [];
    await simulateToFile(options, (chunk) => text.push(chunk));
    files.push(writeText(join(work, file), text.join("")));
    if (file === "majority-register.ndjson") register = text.join("").split("\n").filter(Boolean).map((line) => JSON.parse(line) as Op);
  }
  // The other formats, from the register's ops: EDN, and Porcupine's (its etcd tests' Jepsen logs, its kv histories' EDN ops with a :key).
  files.push(writeText(join(work, "register.edn"), register.map(ednLine).join("")));
  files.push(writeText(join(work, "register.log"), register.map(jepsenLogLine).join("")));
  files.push(writeText(join(work, "kv.edn"), porcupineKv(register)));

  let exitCode = 0;
  const errors: string[] = [];
  const io = { out: () => undefined, err: (text: string) => void errors.push(text), setExitCode: (code: number) => void (exitCode = code), colour: false, progress: () => SILENT };
  // Reports are drawn on this thread whatever the workers; one keeps every history on it.
  await main(["analyze", ...files, "--out", join(work, "reports"), "--quiet", "--workers", "1"], io);
  if (exitCode > 1) throw new Error(`the warm-up's analyze exited ${exitCode}: ${errors.join("").trim()}`);
}

function writeText(file: string, text: string): string {
  writeFileSync(file, text);
  return file;
}

const jepsenLogLine = (op: Op): string => `INFO  jepsen.util - ${typeof op.process === "string" ? `:${op.process}` : op.process}\t:${op.type}\t:${op.f}\t${ednValue(op.value)}\n`;

/**
 * The register's ops as Porcupine's kv histories have them: writes as appends to key P mod 3, and
 * reads as gets of what the appends to that key that completed so far wrote.
 */
function porcupineKv(register: readonly Op[]): string {
  const appended = new Map<number, string>();
  const written = new Map<number, string>();
  const lines: string[] = [];
  for (const op of register) {
    if (typeof op.process !== "number") continue;
    const key = op.process % 3;
    const write = op.f === "write";
    if (write && op.type === "invoke") written.set(op.process, `x ${op.process} ${String(op.value)} y`);
    const text = write ? written.get(op.process) : op.type === "invoke" ? null : appended.get(key) ?? "";
    if (write && op.type === "ok") appended.set(key, (appended.get(key) ?? "") + text);
    lines.push(`{:process ${op.process}, :type :${op.type}, :f ${write ? ":append" : ":get"}, :key ${ednValue(String(key))}, :value ${ednValue(text)}}\n`);
  }
  return lines.join("");
}
