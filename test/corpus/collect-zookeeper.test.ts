/**
 * The real thing: a ZooKeeper 3.8 ensemble of five on this machine. Under isolate-leader no
 * acknowledged add is lost (set valid) and clients of the isolated leader fail fast. Needs
 * root, zookeeper (Java), iptables and setpriv; skipped (with the reason) otherwise.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyzeFile } from "../../src/analyze.ts";
import { zookeeperCollector } from "../../src/collect/zookeeper/collect.ts";
import { tempDir } from "../support/helpers.ts";
import { addressBlock, folderPrefix, leftovers, listeningAddresses, skipReason } from "./collect-leftovers.ts";

const BLOCK = addressBlock(3);

describe("collect zookeeper on a real ensemble", { skip: skipReason("zookeeper") }, () => {
  it("set under isolate-leader for 30 s: nothing acknowledged is lost, the isolated side fails fast; own addresses only", async () => {
    const output = join(tempDir(), "zookeeper.ndjson");
    let listening: string[] = [];
    const log = (line: string): void => {
      if (line.startsWith("zookeeper up")) listening = listeningAddresses(folderPrefix("zookeeper", process.pid));
    };
    const summary = await zookeeperCollector.run({ ...zookeeperCollector.defaults, workload: "set", nemesis: "isolate-leader", time: 30, seed: 1, output, firstAddress: `${BLOCK}.1` }, {}, { log });
    assert.deepEqual(leftovers("zookeeper", process.pid), [], "nothing left running or configured");
    assert.equal(summary.faults.length, 3);
    assert.ok(listening.length >= 5, listening.join(" "));
    assert.ok(listening.every((a) => a.startsWith(`${BLOCK}.`)), `listening: ${listening.join(" ")}`);

    const { history, verdict } = await analyzeFile(output, { checkers: ["auto"] });
    const set = verdict.checkers.find((c) => c.checker.startsWith("set"))!;
    assert.equal(set.valid, true, set.summary);
    const refused = history.operations.filter((o) => o.outcome === "fail" && String(o.error).includes("not connected"));
    assert.ok(refused.length > 0, "clients cut off from a quorum are refused at once");
  });
});
