import { parentPort } from "node:worker_threads";
import { checkerNamed } from "../checkers/registry.ts";
import type { FromWorker, Task, ToWorker } from "./runner.ts";

/** A worker thread of a ThreadRunner: one task at a time, each answered by id. */
const port = parentPort!;

async function perform(task: Task): Promise<unknown> {
  if (task.kind === "part") {
    const { checkPart } = checkerNamed(task.checker);
    if (!checkPart) throw new Error(`checker ${task.checker} has no parts`);
    return checkPart(task.part);
  }
  // Loaded on the first file only: a worker that checks parts never loads the report code.
  const { runAnalyzeTask } = await import("./analyze-task.ts");
  return runAnalyzeTask(task);
}

port.on("message", ({ id, task }: ToWorker) => {
  perform(task).then(
    (value) => port.postMessage({ id, ok: true, value } satisfies FromWorker),
    (error: unknown) => port.postMessage({ id, ok: false, reason: error instanceof Error ? error.message : String(error) } satisfies FromWorker),
  );
});
port.postMessage({ ready: true } satisfies FromWorker);
