import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tempDir } from "../support/helpers.ts";

// The build's chart bundle and its code cache (scripts/chart-code-cache.mjs, which
// scripts/build-snapshot.mjs runs), tried on a copy of dist/ so that the checkout's stays as built.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const built = existsSync(join(ROOT, "dist", "report", "chart-libraries.cache"));

/**
 * A copy of dist/ (without the snapshot) resolving packages from the checkout, its code cache made
 * anew by scripts/chart-code-cache.mjs as the build makes it (a copied bundle is another file).
 */
function copyOfBuild(): string {
  const dir = tempDir();
  cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true, filter: (path) => !path.includes(join("dist", "snapshot")) });
  mkdirSync(join(dir, "scripts"));
  cpSync(join(ROOT, "scripts", "chart-code-cache.mjs"), join(dir, "scripts", "chart-code-cache.mjs"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  rmSync(join(dir, "dist", "report", "chart-libraries.cache"));
  execFileSync(process.execPath, [join(dir, "scripts", "chart-code-cache.mjs")], { stdio: "pipe" });
  return join(dir, "dist");
}

/** In a fresh process: a chart drawn by the report's own renderChart, and what became of the code cache. */
function drawIn(dist: string): { cache: string; html: string } {
  const charts = pathToFileURL(join(dist, "report", "charts.js")).href;
  const program = `
    const { Plot, renderChart, chartCodeCache } = await import(${JSON.stringify(charts)});
    const data = Array.from({ length: 40 }, (_, i) => ({ t: i, ms: (i * 37) % 101, outcome: ["ok", "fail", "info"][i % 3] }));
    const chart = renderChart("c", "A chart", "", { color: { legend: true }, marks: [Plot.dot(data, { x: "t", y: "ms", fill: "outcome" }), Plot.ruleY([0])] });
    process.stdout.write(JSON.stringify({ cache: chartCodeCache(), html: chart.html }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", program], { encoding: "utf8" })) as { cache: string; html: string };
}

describe("the chart bundle's code cache", { skip: !built && "dist/ has no chart code cache: run `npm run build`" }, () => {
  it("is made for the bundle beside it and used; one for another bundle, one V8 refuses or none draw the same chart without it", () => {
    const dist = copyOfBuild();
    const bundle = join(dist, "report", "chart-libraries.cjs");
    const cache = join(dist, "report", "chart-libraries.cache");
    // Its first line names the bundle it was made from.
    const { size, mtimeMs } = statSync(bundle);
    const data = readFileSync(cache);
    const header = data.subarray(0, data.indexOf(10) + 1);
    assert.equal(header.toString(), `${size} ${Math.trunc(mtimeMs)}\n`);
    const asMade = drawIn(dist);
    assert.equal(asMade.cache, "used");
    assert.match(asMade.html, /<svg[^>]*>.*<circle/s);

    // A rebuilt bundle (here, touched) is another.
    const { atime, mtime } = statSync(bundle);
    utimesSync(bundle, atime, new Date(mtime.getTime() + 5000));
    assert.deepEqual(drawIn(dist), { cache: "none for this bundle", html: asMade.html });
    writeFileSync(cache, Buffer.concat([Buffer.from(`${size} ${Math.trunc(statSync(bundle).mtimeMs)}\n`), Buffer.alloc(4096, 7)]));
    assert.deepEqual(drawIn(dist), { cache: "refused by V8", html: asMade.html });
    rmSync(cache);
    assert.deepEqual(drawIn(dist), { cache: "none for this bundle", html: asMade.html });
  });
});
