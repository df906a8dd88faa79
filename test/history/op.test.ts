import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isClientProcess, NEMESIS_PROCESS } from "../../src/history/op.ts";
import { ndjson, runCli, writeTemp } from "../support/helpers.ts";

describe("the nemesis rule", () => {
  it("only Jepsen's nemesis process is not a client", () => {
    assert.equal(isClientProcess(NEMESIS_PROCESS), false);
    for (const p of [0, -1, 7, "1", "12345678901234567890", "worker-3"]) assert.equal(isClientProcess(p), true, String(p));
  });

  it("judges a client op on a string process instead of dropping it", async () => {
    const file = writeTemp(
      "string-process.ndjson",
      ndjson([
        { type: "invoke", f: "write", value: 1, process: "1" },
        { type: "ok", f: "write", value: 1, process: "1" },
        { type: "invoke", f: "read", value: null, process: 2 },
        { type: "ok", f: "read", value: 5, process: 2 },
      ]),
    );
    const r = await runCli(["analyze", file, "--report", "none", "--json", "--checker", "linearizable", "--model", "register"]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
  });
});
