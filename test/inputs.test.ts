import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { JEPSEN_TEST } from "../src/history/annotations.ts";
import { expandInputs } from "../src/inputs.ts";
import { runCli, tempDir } from "./support/helpers.ts";

const EDN_RUN = "{:type :invoke, :f :add, :value 1, :process 0}\n{:type :ok, :f :add, :value 1, :process 0}\n{:type :invoke, :f :read, :value nil, :process 1}\n{:type :ok, :f :read, :value #{1}, :process 1}\n";
const TXT_RUN = "0\t:invoke\t:add\t1\n0\t:ok\t:add\t1\n1\t:invoke\t:read\tnil\n1\t:ok\t:read\t#{1}\n";

/** store/<test>/<time>/ as Jepsen writes it, with its `latest` links. */
function jepsenStore(): string {
  const store = join(tempDir(), "store");
  const run = (test: string, time: string, files: Record<string, string>): string => {
    const dir = join(store, test, time);
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  run("etcd-set", "20240101T000000.000Z", {
    "history.edn": EDN_RUN,
    "history.txt": TXT_RUN,
    "results.edn": "{:valid? true}",
    "test.edn": '{:name "etcd-set", :nodes ["n1" "n2" "n3"], :concurrency 5, :workload :set, :nemesis #object[jepsen.nemesis 0x1 "x"]}',
    "jepsen.log": `INFO  jepsen.util - ${TXT_RUN.split("\n")[0]}\n`,
  });
  const later = run("etcd-set", "20240102T000000.000Z", { "history.txt": TXT_RUN, "results.edn": "{:valid? true}" });
  symlinkSync(later, join(store, "etcd-set", "latest"));
  symlinkSync(later, join(store, "latest"));
  symlinkSync(store, join(store, "etcd-set", "20240102T000000.000Z", "loop"));
  return store;
}

describe("input expansion", () => {
  it("reads a Jepsen store as one history per run, named after test and time, each once", async () => {
    const store = jepsenStore();
    const found = await expandInputs([store]);
    assert.deepEqual(
      found.map((f) => [f.path.slice(store.length + 1), f.stem]),
      [
        ["etcd-set/20240101T000000.000Z/history.edn", "etcd-set-20240101T000000.000Z"],
        ["etcd-set/20240102T000000.000Z/history.txt", "etcd-set-20240102T000000.000Z"],
      ],
    );
    assert.deepEqual(found[0]!.load.annotations?.[JEPSEN_TEST], { file: join(store, "etcd-set/20240101T000000.000Z/test.edn"), name: "etcd-set", nodes: ["n1", "n2", "n3"], concurrency: 5, workload: "set" });
  });

  it("analyzes the store without reading results.edn or test.edn as histories", async () => {
    const store = jepsenStore();
    const out = join(tempDir(), "out");
    const r = await runCli(["analyze", store, "--out", out, "--report", "json", "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const verdicts = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { format: string; annotations: Record<string, unknown> });
    assert.deepEqual(verdicts.map((v) => v.format), ["edn", "jepsen-log"]);
    assert.equal((verdicts[0]!.annotations[JEPSEN_TEST] as { concurrency: number }).concurrency, 5);
  });

  it("never takes results.edn or test.edn for a history in a plain folder", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "results.edn"), "{:valid? true}");
    writeFileSync(join(dir, "h.edn"), EDN_RUN);
    assert.deepEqual((await expandInputs([dir])).map((f) => f.stem), ["h"]);
  });

  it("reads - from standard input, once", async () => {
    const found = await expandInputs(["-"], Readable.from([EDN_RUN]));
    assert.deepEqual([found[0]!.stem, found[0]!.load.name], ["stdin", "<stdin>"]);
    await assert.rejects(expandInputs(["-", "-"], Readable.from([""])), /can be read only once/);
  });

  it("detects the format of standard input and names it in errors", () => {
    const cli = (input: string): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, ["--import", "tsx", "src/bin/hindsight.ts", "analyze", "-", "--report", "none"], { input, encoding: "utf8" });
    const good = cli(EDN_RUN);
    assert.equal(good.status, 0, String(good.stderr));
    assert.match(String(good.stdout), /^<stdin>\tvalid/);
    const bad = cli('{"type":"invoke","f":"read","process":0}\n{"type":"ok",\n');
    assert.equal(bad.status, 3);
    assert.match(String(bad.stderr), /<stdin>:2:\d+: invalid JSON/);
  });
});
