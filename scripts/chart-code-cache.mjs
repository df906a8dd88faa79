// Writes dist/report/chart-libraries.cache, V8's code cache of the chart bundle (Plot and linkedom,
// scripts/bundle-chart-libraries.mjs): the bundle is loaded, a simulated history is analyzed with the
// default reports (latency, throughput and availability charts, fault windows, the timeline), and
// the cache is taken with every function that drawing compiled. A run then neither parses the
// bundle nor compiles those functions again (docs/decisions.md). Like the start-up snapshot it
// belongs to the node that made it, so scripts/build-snapshot.mjs runs this where the package is
// built or installed; a cache that cannot be made is a warning, and charts then compile as before.
//   node scripts/chart-code-cache.mjs
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dist = new URL("../dist/", import.meta.url);
const { simulateToFile } = await import(new URL("simulate/run.js", dist).href);
const { DEFAULT_OPTIONS } = await import(new URL("simulate/simulator.js", dist).href);
const { main } = await import(new URL("cli.js", dist).href);
const { SILENT } = await import(new URL("progress.js", dist).href);
const { writeChartCodeCache } = await import(new URL("report/charts.js", dist).href);

const work = mkdtempSync(join(tmpdir(), "hindsight-chart-cache-"));
try {
  const history = join(work, "history.ndjson");
  await simulateToFile({ ...DEFAULT_OPTIONS, ops: 1000 }, history);
  const errors = [];
  let exitCode = 0;
  const io = { out() {}, err: (text) => errors.push(text), setExitCode: (code) => (exitCode = code), colour: false, progress: () => SILENT };
  // Reports are drawn on this thread whatever the workers; one is enough for a single history.
  await main(["analyze", history, "--out", join(work, "reports"), "--quiet", "--workers", "1"], io);
  // 0: valid, 1: invalid; anything else is a failed run, whose cache would not be worth keeping.
  if (exitCode > 1) throw new Error(`analyze exited ${exitCode}: ${errors.join("").trim()}`);
  if (!writeChartCodeCache()) throw new Error("no chart was drawn");
} finally {
  rmSync(work, { recursive: true, force: true });
}
