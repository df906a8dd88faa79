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

/** A copy of dist/ (without the snapshot) and scripts/chart-code-cache.mjs, resolving packages from the checkout. */
function copyOfBuild(): { dist: string; script: string } {
  const dir = tempDir();
  cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true, preserveTimestamps: true, filter: (path) => !path.includes(`${join("dist", "snapshot")}`) });
  mkdirSync(join(dir, "scripts"));
  cpSync(join(ROOT, "scripts", "chart-code-cache.mjs"), join(dir, "scripts", "chart-code-cache.mjs"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return { dist: join(dir, "dist"), script: join(dir, "scripts", "chart-code-cache.mjs") };
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
  it("is used as built; a cache for another bundle, a refused one or none draw the same chart without it", () => {
    const { dist } = copyOfBuild();
    const bundle = join(dist, "report", "chart-libraries.cjs");
    const cache = join(dist, "report", "chart-libraries.cache");
    const asBuilt = drawIn(dist);
    assert.equal(asBuilt.cache, "used");
    assert.match(asBuilt.html, /<svg[^>]*>.*<circle/s);

    // Its first line names the bundle it was made from: a rebuilt bundle (here, touched) is another.
    const { atime, mtime } = statSync(bundle);
    utimesSync(bundle, atime, new Date(mtime.getTime() + 5000));
    assert.deepEqual(drawIn(dist), { cache: "none for this bundle", html: asBuilt.html });
    utimesSync(bundle, atime, mtime);

    const data = readFileSync(cache);
    const header = data.subarray(0, data.indexOf(10) + 1);
    writeFileSync(cache, Buffer.concat([header, Buffer.alloc(4096, 7)]));
    assert.deepEqual(drawIn(dist), { cache: "refused by V8", html: asBuilt.html });

    rmSync(cache);
    assert.deepEqual(drawIn(dist), { cache: "none for this bundle", html: asBuilt.html });
  });

  it("is made by scripts/chart-code-cache.mjs for the bundle beside it", () => {
    const { dist, script } = copyOfBuild();
    const cache = join(dist, "report", "chart-libraries.cache");
    rmSync(cache);
    execFileSync(process.execPath, [script], { stdio: "pipe" });
    const { size, mtimeMs } = statSync(join(dist, "report", "chart-libraries.cjs"));
    assert.equal(readFileSync(cache).subarray(0, readFileSync(cache).indexOf(10)).toString(), `${size} ${Math.trunc(mtimeMs)}`);
    assert.equal(drawIn(dist).cache, "used");
  });
});
