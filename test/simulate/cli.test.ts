import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { EXIT, main, type Io } from "../../src/cli.ts";
import { SILENT } from "../../src/progress.ts";
import { BEHAVIOURS, NEMESES, WORKLOADS } from "../../src/simulate/catalog.ts";
import type { Truth } from "../../src/simulate/truth.ts";
import { tempDir } from "../support/helpers.ts";

function captured(): Io & { stdout: string; stderr: string; code: number } {
  const io = {
    stdout: "",
    stderr: "",
    code: 0,
    colour: false,
    progress: () => SILENT,
    out: (s: string) => void (io.stdout += s),
    err: (s: string) => void (io.stderr += s),
    setExitCode: (c: number) => void (io.code = c),
  };
  return io;
}

describe("hindsight simulate", () => {
  it("--help lists every behaviour, workload and nemesis", async () => {
    const io = captured();
    await main(["simulate", "--help"], io);
    for (const item of [...BEHAVIOURS, ...WORKLOADS, ...NEMESES]) assert.match(io.stdout, new RegExp(`^  ${item.name} `, "m"), item.name);
    assert.match(io.stdout, /--ts-resolution/);
  });

  it("writes the history and its truth file; the command in the truth reproduces it", async () => {
    const dir = tempDir();
    const out = join(dir, "h.ndjson");
    const io = captured();
    await main(["simulate", "--behaviour", "isr", "--workload", "set", "--nemesis", "isolate", "--ops", "500", "--seed", "3", "-o", out], io);
    assert.equal(io.code, EXIT.valid);
    const truth = JSON.parse(await readFile(join(dir, "h.truth.json"), "utf8")) as Truth;
    assert.equal(truth.command, "hindsight simulate --behaviour isr --workload set --nemesis isolate --seed 3 --ops 500 -o h.ndjson");
    assert.equal(truth.history, "h.ndjson");
    const text = await readFile(out, "utf8");
    assert.equal(text.trim().split("\n").length, truth.records);
    assert.match(io.stderr, /records/);
  });

  it("with no options simulates the README's example to stdout", async () => {
    const io = captured();
    await main(["simulate"], io);
    assert.equal(io.stdout, await readFile(join(import.meta.dirname, "..", "..", "histories", "run-17.ndjson"), "utf8"));
  });

  it("refuses unknown names and combinations a behaviour cannot run, exit 3", async () => {
    for (const argv of [["--behaviour", "paxos"], ["--workload", "stack"], ["--nemesis", "flood"], ["--behaviour", "lww", "--workload", "cas-register"], ["--behaviour", "majority", "--workload", "list-append"]]) {
      const io = captured();
      await main(["simulate", ...argv, "--ops", "10"], io);
      assert.equal(io.code, EXIT.error, argv.join(" "));
      assert.match(io.stderr, /^hindsight: /, argv.join(" "));
    }
  });
});
