/**
 * report.html in a real browser: Debian's Chromium driven by playwright-core. Asserts what a
 * reader relies on: no console errors, no network, the verdict banner, charts that drew marks,
 * a timeline that opens at the evidence, and history values that stay inert text. Screenshots
 * go to test-output/browser/. Skipped (with a message) where /usr/bin/chromium is absent,
 * unless HINDSIGHT_REQUIRE_BROWSER is set, as .ci/run does.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { FileVerdict } from "../../src/checkers/verdict.ts";
import { CHECKERS } from "../../src/checkers/registry.ts";
import { isStatsResult } from "../../src/checkers/stats/stats.ts";
import { buildReport } from "../../src/report/build.ts";
import { writeReports } from "../../src/report/write.ts";
import { runCli } from "../support/helpers.ts";
import { findingAt, HOSTILE, timedHistory, verdictOf } from "../support/report-fixtures.ts";
import { corpusMissing, corpusPath } from "./corpus.ts";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const OUT = join(process.cwd(), "test-output", "browser");

const skip = existsSync(CHROMIUM) || process.env.HINDSIGHT_REQUIRE_BROWSER ? undefined : `${CHROMIUM} not found (apt-get install -y chromium): skipped`;

/** From histories/: one valid, and one on which each correctness checker finds something. */
const SAMPLES = [
  "run-17.ndjson",
  "async-failover-register.ndjson",
  "async-failover-set.ndjson",
  "async-failover-set-reads.ndjson",
  "async-failover-counter.ndjson",
  "lww-lww-rows.ndjson",
  "read-committed-txn-list-append.ndjson",
  "lww-bank.ndjson",
  "async-failover-queue.ndjson",
  "async-failover-unique-ids.ndjson",
];

/** Corpus histories on which checkers find something, analyzed one by one (each needs its own flags). */
function corpusSamples(): { name: string; args: string[] }[] {
  if (corpusMissing()) return [];
  return [
    { name: "knossos-bad-analysis", args: [corpusPath("knossos/cas-register/bad/bad-analysis.edn"), "--model", "cas-register", "--initial", "0"] },
    { name: "elle-paper-example", args: [corpusPath("elle/paper-example.edn")] },
    { name: "elle-cli-set-full", args: [corpusPath("elle-cli/jepsen/set_full.edn")] },
    { name: "elle-cli-counter", args: [corpusPath("elle-cli/jepsen/counter.edn")] },
    { name: "porcupine-kv-bad", args: [corpusPath("porcupine/kv/c10-bad.txt")] },
    { name: "elle-cli-long-fork", args: [corpusPath("elle-cli/jepsen/long-fork.edn")] },
  ];
}

/** Charts whose x (or, for the timeline, y) axis is time: each must mark the fault windows when the history has some. */
const TIME_CHARTS = /^chart-(stats-|set-outcomes|set-full-outcomes|counter-|lww-events|bank-totals|timeline)/;

/** Samples whose evidence lists operations of a history that names nodes: the evidence must name them too. */
const NODE_EVIDENCE: Record<string, string> = {
  "async-failover-register": "section-linearizable",
  "async-failover-counter": "section-counter",
  "lww-lww-rows": "section-lww",
};

function timedFaultWindows(verdict: FileVerdict): number {
  const stats = verdict.checkers.find(isStatsResult);
  return stats ? stats.evidence.faultWindows.filter((w) => w.startTime !== undefined && w.endTime !== undefined).length : 0;
}

interface PageLog {
  errors: string[];
  requests: string[];
  dialogs: string[];
}

describe("report.html in headless Chromium", { skip }, () => {
  let context: BrowserContext;
  let profile: string;
  const reports: { name: string; html: string; verdict?: FileVerdict }[] = [];

  before(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    // The repository's samples as one batch (its index is checked below), then the corpus ones.
    const batch = join(OUT, "reports", "histories");
    const samples = await runCli(["analyze", ...SAMPLES.map((f) => join("histories", f)), "--out", batch, "--quiet"]);
    assert.ok(samples.code <= 2, `histories/: exit ${samples.code}: ${samples.stderr}`);
    for (const name of readdirSync(batch).filter((d) => existsSync(join(batch, d, "verdict.json")))) {
      reports.push({ name, html: join(batch, name, "report.html"), verdict: JSON.parse(readFileSync(join(batch, name, "verdict.json"), "utf8")) });
    }
    for (const sample of corpusSamples()) {
      const out = join(OUT, "reports", sample.name);
      const run = await runCli(["analyze", ...sample.args, "--out", out, "--workers", "1", "--quiet"]);
      assert.ok(run.code <= 2, `${sample.name}: exit ${run.code}: ${run.stderr}`);
      const dir = join(out, readdirSync(out)[0]!);
      reports.push({ name: sample.name, html: join(dir, "report.html"), verdict: JSON.parse(readFileSync(join(dir, "verdict.json"), "utf8")) });
    }
    // Whatever checkers are registered, one report where a checker points at operations.
    const history = timedHistory(600);
    const verdict = verdictOf(history, [findingAt([400, 401, 403])]);
    const dir = join(OUT, "reports", "finding");
    writeReports(dir, verdict, () => buildReport(verdict, history), ["json", "html"]);
    reports.push({ name: "finding", html: join(dir, "report.html"), verdict });
    // A hostile history: markup in values, f and error, and a 1 MB string.
    const hostile = join(OUT, "hostile.ndjson");
    const records = [
      { type: "invoke", f: "write", value: HOSTILE, process: 0, time: 1_000_000 },
      { type: "ok", f: "write", value: HOSTILE, process: 0, time: 2_000_000 },
      { type: "invoke", f: HOSTILE, value: "x".repeat(1 << 20), process: 1, time: 1_500_000 },
      { type: "info", f: HOSTILE, process: 1, time: 5_000_000, error: HOSTILE },
    ];
    writeFileSync(hostile, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const run = await runCli(["analyze", hostile, "--out", join(OUT, "reports", "hostile"), "--workers", "1", "--quiet"]);
    assert.ok(run.code <= 2, run.stderr);
    reports.push({ name: "hostile", html: join(OUT, "reports", "hostile", "hostile", "report.html") });

    profile = mkdtempSync(join(tmpdir(), "hindsight-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS, headless: true, viewport: { width: 1280, height: 900 } });
  });

  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(file: string): Promise<{ page: Page; log: PageLog }> {
    const page = await context.newPage();
    const log: PageLog = { errors: [], requests: [], dialogs: [] };
    const url = pathToFileURL(file).href;
    page.on("console", (m) => void (m.type() === "error" && log.errors.push(m.text())));
    page.on("pageerror", (e) => void log.errors.push(e.message));
    page.on("request", (r) => void (r.url() !== url && log.requests.push(r.url())));
    page.on("dialog", (d) => void (log.dialogs.push(d.message()), d.dismiss()));
    await page.goto(url, { waitUntil: "load" });
    return { page, log };
  }

  function assertQuiet(log: PageLog): void {
    assert.deepEqual(log.errors, [], "console errors");
    assert.deepEqual(log.requests, [], "network requests");
    assert.deepEqual(log.dialogs, [], "dialogs");
  }

  /** Every chart has visible marks: shapes that are not axes, legends, markers or the timeline's background. */
  async function chartsWithoutMarks(page: Page): Promise<string[]> {
    return page.$$eval("figure.chart", (figures) =>
      figures
        .filter((figure) => {
          const shapes = [...figure.querySelectorAll("svg :is(path, rect, circle, line, polygon, polyline)")].filter(
            (m) => !m.closest('[aria-label*="axis"], defs, marker, [class*="swatch"], .tl-key, .tl-bg, .tl-axis') && !m.matches(".tl-key, .tl-bg"),
          );
          return !shapes.some((m) => {
            const box = m.getBoundingClientRect();
            return box.width > 0 || box.height > 0;
          });
        })
        .map((f) => f.id),
    );
  }

  it("has a valid sample, and one where each correctness checker finds something and points at it", () => {
    assert.ok(reports.some((r) => r.verdict?.valid === true), "a valid sample");
    const found = new Set(reports.flatMap((r) => r.verdict?.checkers.filter((c) => c.valid === false && c.focus?.length).map((c) => c.checker) ?? []));
    const checkers = CHECKERS.filter((c) => !c.informational).map((c) => c.name);
    assert.deepEqual(checkers.filter((c) => !found.has(c)), [], `found by: ${[...found].join(", ")}`);
  });

  it("every sample opens quietly, banner first, every chart drawn, timeline at the evidence", async () => {
    for (const report of reports.filter((r) => r.verdict)) {
      const { page, log } = await open(report.html);
      const word = report.verdict!.valid === true ? "VALID" : report.verdict!.valid === false ? "INVALID" : "UNKNOWN";
      assert.equal(await page.textContent("#verdict h1"), word, report.name);
      assert.equal((await page.textContent("#verdict p"))?.trim(), report.verdict!.summary, report.name);
      assert.ok(await page.locator("figure.chart").count() >= 1, `${report.name}: no charts`);
      assert.deepEqual(await chartsWithoutMarks(page), [], `${report.name}: charts without marks`);
      // Stats is a measurement: never a "valid" verdict in the checker table.
      const statsVerdict = await page.$eval("#checkers", (table) => [...table.querySelectorAll("tr")].find((tr) => tr.children[0]?.textContent === "stats")?.children[1]?.textContent);
      assert.ok(statsVerdict === "measured" || statsVerdict === "unknown", `${report.name}: stats shown as ${statsVerdict}`);
      if (timedFaultWindows(report.verdict!) > 0) {
        const unmarked = await page.$$eval("figure.chart", (figures) => figures.filter((f) => !f.querySelector(".fault-window")).map((f) => f.id));
        assert.deepEqual(unmarked.filter((id) => TIME_CHARTS.test(id)), [], `${report.name}: time charts without fault windows`);
        const band = await page.$eval(".tl .fault-window", (b) => b.getBoundingClientRect().width);
        assert.ok(band > 0, `${report.name}: the timeline's fault band has no width`);
      }
      const nodeSection = NODE_EVIDENCE[report.name];
      if (nodeSection) {
        const named = await page.$$eval(`#${nodeSection} :is(td, pre)`, (els) => els.some((e) => /^n\d+$/.test(e.textContent?.trim() ?? "") || /\(node n\d+\)/.test(e.textContent ?? "")));
        assert.ok(named, `${report.name}: node names in the evidence`);
        if (report.name === "async-failover-register") {
          assert.match((await page.textContent(`#${nodeSection}`)) ?? "", /A stale read: it returned 60, written by op \d+ .*; op \d+ then wrote 61/, "the stale read's two writes");
        }
      }
      if (report.name === "porcupine-kv-bad") {
        const keys = await page.$$eval("#section-linearizable table tbody tr", (trs) => trs.map((tr) => [tr.children[0]?.textContent, tr.children[2]?.textContent]));
        assert.ok(keys.length >= 2 && keys.some(([key, verdict]) => /^key /.test(key ?? "") && verdict === "invalid"), `${report.name}: a per-key table with an invalid key: ${JSON.stringify(keys)}`);
        // A key's culprit links to the timeline, which then shows that op.
        const links = page.locator("#section-linearizable table a[data-tl-ids]");
        const last = links.nth((await links.count()) - 1);
        const id = await last.getAttribute("data-tl-ids");
        await last.click();
        const shown = await page.$eval(`rect.tl-op[data-id="${id}"]`, (r) => {
          const plot = r.closest(".tl-plot")!.getBoundingClientRect();
          const box = r.getBoundingClientRect();
          return box.bottom > plot.top && box.top < plot.bottom;
        });
        assert.ok(shown, `${report.name}: the culprit of the last failing key (op ${id}) is in the timeline's view after its link`);
        assert.match((await page.textContent(".tl-detail")) ?? "", new RegExp(`^op ${id} `));
        await page.click('button[data-zoom="focus"]');
      }
      const focused = report.verdict!.checkers.some((c) => c.focus?.length);
      if (focused) {
        const view = await page.$eval(".tl", (tl) => {
          const plot = tl.querySelector(".tl-plot")!.getBoundingClientRect();
          const visible = [...tl.querySelectorAll("rect.tl-op.tl-focus")].filter((r) => {
            const box = r.getBoundingClientRect();
            return box.bottom > plot.top && box.top < plot.bottom && box.height > 0;
          });
          return { visible: visible.length, view: tl.getAttribute("data-view"), focus: tl.getAttribute("data-focus") };
        });
        assert.ok(view.visible > 0, `${report.name}: no evidence box visible in the opening view`);
        const [from, to] = view.view!.split(",").map(Number);
        const [focusFrom, focusTo] = view.focus!.split(",").map(Number);
        // data-focus is rounded to the millisecond
        assert.ok(Math.abs(from! - focusFrom!) < 1e-3 && Math.abs(to! - focusTo!) < 1e-3, `${report.name}: opens at ${view.view}, not at the evidence ${view.focus}`);
      }
      await page.screenshot({ path: join(OUT, `${report.name}.png`), fullPage: true });
      await page.locator("#section-timeline").screenshot({ path: join(OUT, `${report.name}-timeline.png`) });
      assertQuiet(log);
      await page.close();
    }
  });

  it("the synthetic finding opens its timeline at operations 400–403", async () => {
    const report = reports.find((r) => r.name === "finding")!;
    const { page, log } = await open(report.html);
    const inView = await page.$$eval("rect.tl-op.tl-focus", (rects) => rects.map((r) => r.getAttribute("data-id")));
    assert.deepEqual(inView, ["400", "401", "403"]);
    // Zoom controls change the view; "evidence" brings it back.
    const opening = await page.getAttribute(".tl", "data-view");
    await page.click('button[data-zoom="fit"]');
    assert.notEqual(await page.getAttribute(".tl", "data-view"), opening);
    await page.click('button[data-zoom="focus"]');
    assert.equal(await page.getAttribute(".tl", "data-view"), opening);
    assertQuiet(log);
    await page.close();
  });

  it("hostile values render as inert text, and a 1 MB value does not stall the page", async () => {
    const report = reports.find((r) => r.name === "hostile")!;
    const { page, log } = await open(report.html);
    assert.equal(await page.locator("img").count(), 0);
    await page.locator('rect.tl-op[data-id="0"]').click();
    const detail = await page.textContent(".tl-detail");
    assert.match(detail ?? "", /write "<img src=x onerror=alert\(1\)>"/);
    await page.locator('rect.tl-op[data-id="1"]').click({ force: true });
    assert.match((await page.textContent(".tl-detail")) ?? "", /"x+"… \(1,048,\d{3} more characters\)/);
    assert.equal(await page.locator("img").count(), 0);
    await page.screenshot({ path: join(OUT, "hostile.png") });
    assertQuiet(log);
    await page.close();
  });

  it("report.md links SVG files that exist and parse as SVG documents", async () => {
    for (const report of reports.filter((r) => r.verdict && r.name !== "finding")) {
      const dir = join(report.html, "..");
      const md = readFileSync(join(dir, "report.md"), "utf8");
      assert.match(md, /^# (✅|❌|❓) (VALID|INVALID|UNKNOWN): /, report.name);
      assert.match(md, /\| Checker \| Verdict \| Summary \|/, report.name);
      const images = [...md.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]!);
      assert.ok(images.length > 0, `${report.name}: no charts linked`);
      for (const image of images) {
        const { page, log } = await open(join(dir, decodeURIComponent(image)));
        const root = await page.$eval(":root", (r) => ({ tag: r.tagName, errors: r.querySelectorAll("parsererror").length, width: r.getBoundingClientRect().width }));
        assert.deepEqual({ tag: root.tag, errors: root.errors }, { tag: "svg", errors: 0 }, `${report.name}: ${image}`);
        assert.ok(root.width > 0, `${report.name}: ${image} has no size`);
        assertQuiet(log);
        await page.close();
      }
    }
  });

  it("the batch index over the samples lists invalid first, opens quietly and links every report", async () => {
    const out = join(OUT, "reports", "histories");
    const { page, log } = await open(join(out, "index.html"));
    const rows = await page.$$eval("#section-histories tbody tr", (trs) => trs.map((tr) => [tr.querySelector("a")?.getAttribute("href") ?? "", tr.children[1]?.textContent ?? ""]));
    assert.doesNotMatch((await page.textContent("#section-histories")) ?? "", /stats: valid/, "stats is a measurement, not a verdict");
    // The samples hold two set histories: the talk's table, verdict coloured.
    const talk = await page.$$eval("#section-batch-set tbody tr", (trs) => trs.map((tr) => ({ cells: tr.children.length, verdictClass: tr.children[1]?.className ?? "" })));
    assert.ok(talk.length >= 1, "the set table");
    for (const row of talk) assert.deepEqual([row.cells, /verdict (valid|invalid|unknown)/.test(row.verdictClass)], [6, true]);
    const folders = readdirSync(out).filter((d) => existsSync(join(out, d, "verdict.json")));
    assert.equal(rows.length, folders.length);
    const rank = { invalid: 0, unreadable: 1, unknown: 2, valid: 3 } as Record<string, number>;
    const ranks = rows.map(([, verdict]) => rank[verdict!]!);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), "invalid first, then unreadable, unknown, valid");
    for (const [href] of rows) assert.ok(existsSync(join(out, decodeURIComponent(href!))), href);
    await page.screenshot({ path: join(OUT, "index.png"), fullPage: true });
    assertQuiet(log);
    await page.close();
  });
});
