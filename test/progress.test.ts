import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TerminalProgress } from "../src/progress.ts";

function screen(): { stream: { columns: number; write(text: string): void }; text: () => string } {
  let written = "";
  return { stream: { columns: 200, write: (t: string) => void (written += t) }, text: () => written };
}

describe("TerminalProgress", () => {
  it("shows histories done / total, ops/s and the current file, and stays through the batch", () => {
    let now = 0;
    const { stream, text } = screen();
    const bar = new TerminalProgress(4, stream, () => now);
    now = 2000;
    bar.fileDone();
    bar.current("runs/b.ndjson", 5000);
    assert.equal(bar.line(), "[#####---------------] 1/4 histories · 2,500 ops/s · 0:02 · runs/b.ndjson");
    bar.clear(); // a line printed above the bar
    bar.redraw();
    bar.fileDone();
    assert.match(text(), /\r\x1b\[K\r\[#+-+\] 1\/4 .*\r\[#{10}-{10}\] 2\/4 histories/s, "cleared, then drawn again with the new count");
    bar.stop();
    const after = text();
    bar.redraw();
    assert.equal(text(), after, "a stopped bar draws nothing");
  });

  it("a single file shows records read and their rate; the line is cut to the terminal", () => {
    let now = 0;
    const stream = { columns: 30, write: () => undefined };
    const bar = new TerminalProgress(1, stream, () => now);
    now = 1000;
    bar.records(120_000);
    assert.equal(bar.line(), "reading 120,000 records · 12…");
    bar.stop();
  });
});
