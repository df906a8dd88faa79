// Writes dist/report/chart-libraries.cache, V8's code cache of the chart bundle (Plot and linkedom,
// scripts/bundle-chart-libraries.mjs): the bundle is loaded, the warm-up's histories (one of every
// workload, src/bin/warm-up.ts) are analyzed with the default reports (latency, throughput and
// availability charts, fault windows, outcome charts, cycles, the timeline), and the cache is taken
// with every function that drawing compiled. A run then neither parses the bundle nor compiles those
// functions again (docs/decisions.md). Like the start-up snapshot it belongs to the node that made it,
// so scripts/build-snapshot.mjs runs this where the package is built or installed; a cache that
// cannot be made is a warning, and charts then compile as before.
//   node scripts/chart-code-cache.mjs
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dist = new URL("../dist/", import.meta.url);
const { warmUp } = await import(new URL("bin/warm-up.js", dist).href);
const { writeChartCodeCache } = await import(new URL("report/charts.js", dist).href);

const work = mkdtempSync(join(tmpdir(), "hindsight-chart-cache-"));
try {
  await warmUp(work);
  if (!writeChartCodeCache()) throw new Error("no chart was drawn");
} finally {
  rmSync(work, { recursive: true, force: true });
}
