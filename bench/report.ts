/**
 * npm run bench:report: report size and cost for a large simulated register history (1M
 * records by default, BENCH_OPS to change), with a checker finding placed in its middle so the timeline
 * opens there. Prints report.html's size against the 20 MB ceiling, the report's time as a ratio
 * of the analysis's (same run: the machine is shared), and, where Debian's Chromium is
 * installed, how long the page takes to load and draw its timeline.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { analyzeFile } from "../src/analyze.ts";
import type { LinearizableResult } from "../src/checkers/linearizability/linearizable.ts";
import { composeVerdict } from "../src/checkers/verdict.ts";
import { chooseCheckers } from "../src/checkers/registry.ts";
import { buildReport } from "../src/report/build.ts";
import { writeReports } from "../src/report/write.ts";
import { simulateToFile } from "../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../src/simulate/simulator.ts";

const OPS = Number(process.env.BENCH_OPS ?? 1_000_000);
const LIMIT_BYTES = 20 * 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), "hindsight-bench-report-"));
try {
  const file = join(dir, "register.ndjson");
  await simulateToFile({ ...DEFAULT_OPTIONS, ops: OPS }, file);
  let start = performance.now();
  const { history, verdict: analyzed } = await analyzeFile(file, { checkers: ["stats"] });
  const analyzeMs = performance.now() - start;
  // A finding in the middle, as a linearizability checker would report it: the culprit and its neighbours.
  const middle = Math.floor(history.operations.length / 2);
  const finding: LinearizableResult = { checker: "linearizable", valid: false, summary: "a planted finding", evidence: { reason: "planted" }, stats: {}, focus: [middle, middle + 1, middle + 3] };
  const verdict = composeVerdict(history, chooseCheckers(["stats"], history), [...analyzed.checkers, finding]);
  start = performance.now();
  const out = join(dir, "report");
  writeReports(out, verdict, () => buildReport(verdict, history), ["json", "md", "html"]);
  const reportMs = performance.now() - start;
  const html = join(out, "report.html");
  const size = statSync(html).size;
  console.log(`history: ${OPS.toLocaleString("en")} records, ${history.operations.length.toLocaleString("en")} operations`);
  console.log(`report.html: ${(size / 1024 / 1024).toFixed(2)} MB (${((100 * size) / LIMIT_BYTES).toFixed(0)}% of the 20 MB ceiling)`);
  for (const chart of ["stats-latency", "timeline"]) console.log(`charts/${chart}.svg: ${(statSync(join(out, "charts", `${chart}.svg`)).size / 1024 / 1024).toFixed(2)} MB`);
  console.log(`analysis (stats) ${(analyzeMs / 1000).toFixed(1)} s; reports ${(reportMs / 1000).toFixed(1)} s = ${(reportMs / analyzeMs).toFixed(2)}× the analysis`);
  if (existsSync("/usr/bin/chromium")) {
    const profile = mkdtempSync(join(tmpdir(), "hindsight-bench-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    const page = await context.newPage();
    start = performance.now();
    await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
    await page.waitForSelector(".tl[data-view]");
    console.log(`Chromium: loaded with the timeline at the finding in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  if (size >= LIMIT_BYTES) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
