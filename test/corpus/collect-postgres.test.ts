/**
 * The real thing: a private PostgreSQL 15 server on this machine. Serializable list-append is
 * valid; repeatable read lets write skew through (G2-item) within two 20 s runs; a cut client
 * link leaves commits whose acknowledgement was lost. Needs root, postgresql, iptables and
 * setpriv; skipped (with the reason) otherwise. Each run checks that nothing is left behind.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { analyzeFile } from "../../src/analyze.ts";
import { postgresCollector } from "../../src/collect/postgres/collect.ts";
import type { CommonFlags } from "../../src/collect/collectors.ts";
import { tempDir } from "../support/helpers.ts";
import { addressBlock, foldersLeft, leftovers, listeningAddresses, folderPrefix, processesIn, skipReason } from "./collect-leftovers.ts";

const ADDRESS = `${addressBlock(1)}.1`;

async function run(name: string, flags: Partial<CommonFlags>, isolation: string): Promise<{ output: string; listening: string[] }> {
  const output = join(tempDir(), `${name}.ndjson`);
  let listening: string[] = [];
  const log = (line: string): void => {
    if (line.startsWith("postgres up")) listening = listeningAddresses(folderPrefix("postgres", process.pid));
  };
  const defaults = postgresCollector.defaults;
  await postgresCollector.run({ ...defaults, seed: 1, output, ...flags, firstAddress: ADDRESS }, { isolation }, { log });
  assert.deepEqual(leftovers("postgres", process.pid), [], "nothing left running or configured");
  return { output, listening };
}

describe("collect postgres on a real server", { skip: skipReason("postgres") }, () => {
  it("list-append at serializable for 20 s: the txn checker finds nothing (valid); it listened on its own address only", async () => {
    const { output, listening } = await run("serializable", { workload: "list-append", time: 20 }, "serializable");
    assert.deepEqual(listening, [`${ADDRESS}:5432`]);
    const { verdict } = await analyzeFile(output, { checkers: ["auto"] });
    const txn = verdict.checkers.find((c) => c.checker === "txn");
    assert.equal(txn?.valid, true, txn?.summary);
    assert.equal(verdict.valid, true, verdict.summary);
  });

  it("rw-register at repeatable read: write skew (G2-item) or G-single within two 20 s runs", async () => {
    const found: string[] = [];
    for (const seed of [1, 2]) {
      const { output } = await run(`repeatable-read-${seed}`, { workload: "rw-register", time: 20, seed }, "repeatable-read");
      const { verdict } = await analyzeFile(output, { checkers: ["auto"] });
      const txn = verdict.checkers.find((c) => c.checker === "txn")!;
      found.push(`seed ${seed}: ${txn.summary}`);
      if (txn.valid === false && /G2-item|G-single/.test(txn.summary)) break;
    }
    assert.match(found.at(-1)!, /G2-item|G-single/, found.join("\n"));
  });

  it("set under cut-client: replies dropped mid-commit leave adds unacknowledged (info) yet present in the final read", async () => {
    const { output } = await run("cut-client", { workload: "set", nemesis: "cut-client", time: 15, rate: 50 }, "serializable");
    const { history, verdict } = await analyzeFile(output, { checkers: ["auto"] });
    const ops = history.operations.filter((o) => typeof o.process === "number");
    const finalRead = new Set(ops.filter((o) => o.f === "read" && o.outcome === "ok").at(-1)!.output as number[]);
    const unacknowledged = ops.filter((o) => o.f === "add" && o.outcome === "info");
    assert.ok(unacknowledged.some((o) => finalRead.has(o.input as number)), `${unacknowledged.length} info adds, none in the final read`);
    assert.equal(verdict.checkers.find((c) => c.checker.startsWith("set"))?.valid, true, verdict.summary);
  });

  it("kill -9 of the collector: the server and its backends die with it; the next run removes the folder it left", async () => {
    const cli = fileURLToPath(new URL("../../src/bin/hindsight.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", cli, "collect", "postgres", "--workload", "set", "--time", "20", "--first-address", `${addressBlock(1)}.11`, "-o", join(tempDir(), "killed.ndjson")], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    await new Promise<void>((resolve) =>
      child.stderr.on("data", (d: Buffer) => {
        stderr += d;
        if (stderr.includes("postgres up")) resolve();
      }),
    );
    const prefix = folderPrefix("postgres", child.pid!);
    assert.ok(processesIn(prefix).length > 1, "a postmaster and its backends run");
    child.kill("SIGKILL");
    await once(child, "exit");
    const deadline = Date.now() + 10_000;
    while (processesIn(prefix).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(processesIn(prefix), [], "the server died with the collector (parent-death signal), and its backends after it");
    const [left] = foldersLeft("postgres", child.pid!);
    assert.ok(left, "a killed collector cannot remove its folder itself");

    const logs: string[] = [];
    await postgresCollector.run({ ...postgresCollector.defaults, nemesis: "none", time: 1, seed: 1, output: join(tempDir(), "next.ndjson"), firstAddress: `${addressBlock(1)}.11` }, {}, { log: (line) => logs.push(line) });
    assert.ok(!existsSync(join(tmpdir(), left)));
    assert.ok(logs.some((l) => l.includes(`${left}, left by a collector that was killed`)), logs.join("\n"));
  });
});
