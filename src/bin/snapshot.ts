import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { startupSnapshot } from "node:v8";
import { releaseSearchMemory } from "../checkers/linearizability/search.ts";
import { releaseChartLibraries } from "../report/charts.ts";
import { run } from "./run.ts";
import { warmUp } from "./warm-up.ts";
// What every analysis loads, evaluated once when the snapshot is built (scripts/build-snapshot.mjs)
// instead of at each start; the rest of the bundle is evaluated on first use, as it is unbundled.
import "../cli.ts";
import "../cli/analyze-run.ts";
import "../cli/errors.ts";
import "../cli/models.ts";
import "../cli/terminal.ts";
import "../checkers/registry.ts";
import "../inputs.ts";
import "../parsers/registry.ts";
import "../report/build.ts";
import "../report/write.ts";

// The launcher starts node with this snapshot and the path of the entry it stands for, so the
// command line reads as it would unbundled: `node …/hindsight.js ARGS` or `node …/analyze.js ARGS`.
startupSnapshot.setDeserializeMainFunction(() => {
  const [, entry = "", ...args] = process.argv;
  void run(basename(entry) === "analyze.js" ? ["analyze", ...args] : args);
});

// The snapshot is taken once this has run: it keeps the bytecode of everything the warm-up
// compiled, and none of the chart libraries it loaded nor the buffers its searches kept. A
// warm-up that fails fails the build.
const work = mkdtempSync(join(tmpdir(), "hindsight-warm-up-"));
void warmUp(work).finally(() => {
  releaseChartLibraries();
  releaseSearchMemory();
  rmSync(work, { recursive: true, force: true });
});
