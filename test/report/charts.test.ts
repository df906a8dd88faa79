import assert from "node:assert/strict";
import { test } from "node:test";
import { Plot, renderChart } from "../../src/report/charts.ts";

test("the same chart drawn twice in one process gives the same bytes (Plot's marker ids numbered per chart)", () => {
  const draw = () => renderChart("lines", "Lines", "", { marks: [Plot.lineY([{ x: 0, y: 1 }, { x: 1, y: 2 }], { x: "x", y: "y", marker: "dot" })] });
  const first = draw();
  const second = draw();
  assert.match(first.html, /lines-marker-1/);
  assert.doesNotMatch(first.html, /plot-marker-\d/);
  assert.equal(second.html, first.html);
  assert.equal(second.svg, first.svg);
});
