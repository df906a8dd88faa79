import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";
import type * as PlotModule from "@observablehq/plot";
import type * as Linkedom from "linkedom";
import { tempDir } from "../support/helpers.ts";

const load = createRequire(import.meta.url);
type Libraries = { Plot: typeof PlotModule; linkedom: typeof Linkedom };

/** A chart with the marks, scales and legend the report uses, drawn with the given libraries. */
function draw({ Plot, linkedom }: Libraries): string {
  const { document } = linkedom.parseHTML("<!DOCTYPE html><html><body></body></html>");
  const data = Array.from({ length: 50 }, (_, i) => ({ t: i * 7, ms: (i * 37) % 101, outcome: ["ok", "fail", "info"][i % 3]! }));
  const figure = Plot.plot({
    document: document as unknown as PlotModule.PlotOptions["document"],
    color: { legend: true, domain: ["ok", "fail", "info"], range: ["#1a7f37", "#cf222e", "#bf8700"] },
    y: { type: "log", grid: true },
    marks: [Plot.dot(data, { x: "t", y: (d: { ms: number }) => d.ms + 1, fill: "outcome", symbol: "outcome" }), Plot.lineY(data, { x: "t", y: "ms" }), Plot.ruleY([1]), Plot.rectX([{ x1: 20, x2: 60 }], { x1: "x1", x2: "x2", fillOpacity: 0.1 }), Plot.text(data.slice(0, 3), { x: "t", y: "ms", text: "outcome" })],
  }) as unknown as { outerHTML: string };
  return figure.outerHTML;
}

describe("scripts/bundle-chart-libraries.mjs", () => {
  it("bundles Plot and linkedom into one file that draws exactly what the packages draw", () => {
    const outfile = join(tempDir(), "chart-libraries.cjs");
    execFileSync(process.execPath, ["scripts/bundle-chart-libraries.mjs", outfile], { stdio: "pipe" });
    const bundled = load(outfile) as Libraries;
    const packages: Libraries = { Plot: load("@observablehq/plot") as typeof PlotModule, linkedom: load("linkedom") as typeof Linkedom };
    const drawn = draw(packages);
    assert.match(drawn, /<svg[^>]*>.*<path/s);
    assert.equal(draw(bundled), drawn);
  });
});
