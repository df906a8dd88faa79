import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { ndjson, tempDir, writeTemp } from "../support/helpers.ts";
import { spawnCli } from "../support/spawn-cli.ts";

const HOOK = fileURLToPath(new URL("../support/module-log.mjs", import.meta.url));

/** The project modules and packages a CLI run loads (node: built-ins left out). */
async function loaded(args: string[]): Promise<string[]> {
  const log = join(tempDir(), "modules.txt");
  const r = await spawnCli(args, { env: { MODULE_LOG: log, NODE_OPTIONS: `--import ${HOOK}` } });
  assert.ok(r.code !== null && r.code <= 2, r.stderr);
  return readFileSync(log, "utf8").split("\n").filter((url) => url.startsWith("file:") && !/\/node_modules\/(tsx|esbuild|get-tsconfig|resolve-pkg-maps)\//.test(url));
}

const chartCode = (urls: string[]): string[] => urls.filter((u) => /@observablehq\/plot|\/linkedom\//.test(u));

describe("start-up loads only what the command needs", () => {
  const file = writeTemp("h.ndjson", ndjson([{ type: "invoke", f: "write", process: 0, value: 1, time: 0 }, { type: "ok", f: "write", process: 0, value: 1, time: 1000 }]));

  it("--version loads no command, not even commander", async () => {
    const urls = await loaded(["--version"]);
    assert.deepEqual([...new Set(urls.map((u) => u.replace(/^.*\/src\//, "src/")))].sort(), ["src/bin/hindsight.ts", "src/bin/run.ts", "src/version.ts"]);
  });

  it("--help loads no parser, checker, report or worker code", async () => {
    const urls = await loaded(["--help"]);
    assert.deepEqual(urls.filter((u) => /src\/(parsers|checkers|report\/(?!report-formats)|workers|simulate|collect)\//.test(u)), []);
  });

  it("--report none loads no chart code; a report does", async () => {
    assert.deepEqual(chartCode(await loaded(["analyze", file, "--report", "none", "--quiet"])), []);
    assert.ok(chartCode(await loaded(["analyze", file, "--out", tempDir(), "--quiet"])).length > 0, "the check can see chart code when it loads");
  });
});
