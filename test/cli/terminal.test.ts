import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { colourWanted, escapeName, progressWanted } from "../../src/cli/terminal.ts";
import { ndjson, writeTemp } from "../support/helpers.ts";
import { spawnCli } from "../support/spawn-cli.ts";

describe("terminal conventions", () => {
  it("FORCE_COLOR wins, then NO_COLOR and TERM=dumb turn colour off; otherwise colour only on a terminal", () => {
    assert.equal(colourWanted({}, true), true);
    assert.equal(colourWanted({}, false), false);
    assert.equal(colourWanted({ NO_COLOR: "1" }, true), false);
    assert.equal(colourWanted({ NO_COLOR: "" }, true), true, "an empty NO_COLOR is not set");
    assert.equal(colourWanted({ TERM: "dumb" }, true), false);
    assert.equal(colourWanted({ FORCE_COLOR: "1" }, false), true);
    assert.equal(colourWanted({ FORCE_COLOR: "1", NO_COLOR: "1" }, false), true);
    assert.equal(colourWanted({ FORCE_COLOR: "0" }, true), false);
    assert.equal(progressWanted({ TERM: "dumb" }, true), false);
    assert.equal(progressWanted({}, false), false);
  });

  it("escapeName escapes every control character and the backslash, and nothing else", () => {
    assert.equal(escapeName("runs/é 17.ndjson"), "runs/é 17.ndjson");
    assert.equal(escapeName("a\nb\rc\td\\e\u001b[31m\u007f\u0085\u2028"), "a\\nb\\rc\\td\\\\e\\u{1b}[31m\\u{7f}\\u{85}\\u{2028}");
  });

  it("a spawned run honours FORCE_COLOR on a pipe, and NO_COLOR / TERM=dumb", async () => {
    const file = writeTemp("h.ndjson", ndjson([{ type: "invoke", f: "write", process: 0, value: 1 }, { type: "ok", f: "write", process: 0, value: 1 }]));
    const args = ["analyze", file, "--report", "none", "--quiet"];
    assert.equal((await spawnCli(args, { env: { FORCE_COLOR: "1", NO_COLOR: undefined } })).stdout, `${file}\t\x1b[32mvalid\x1b[0m\n`);
    assert.equal((await spawnCli(args, { env: { FORCE_COLOR: undefined, NO_COLOR: "1" } })).stdout, `${file}\tvalid\n`);
    assert.equal((await spawnCli(args, { env: { FORCE_COLOR: undefined, TERM: "dumb" } })).stdout, `${file}\tvalid\n`);
  });
});
