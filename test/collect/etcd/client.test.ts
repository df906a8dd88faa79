import assert from "node:assert/strict";
import { createServer, type AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { EtcdClient } from "../../../src/collect/etcd/client.ts";
import { makeWorkload } from "../../../src/collect/etcd/workloads.ts";
import { FakeEtcdGateway } from "../../support/fake-etcd-gateway.ts";

const gateway = new FakeEtcdGateway();

/** A URL on which nothing listens: a port just given back. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
let client: EtcdClient;
/** For requests the gateway never answers; the others get a timeout no loaded machine reaches. */
let impatient: EtcdClient;

before(async () => {
  const url = await gateway.listen();
  client = new EtcdClient(url, 30_000);
  impatient = new EtcdClient(url, 300);
});
after(() => gateway.close());
beforeEach(() => {
  gateway.store.clear();
  gateway.misbehave = undefined;
  gateway.beforeTxn = undefined;
});

describe("etcd JSON gateway client", () => {
  it("puts and gets JSON values; an absent key reads null at revision 0", async () => {
    assert.deepEqual(await client.get("r", false), { type: "ok", value: { value: null, modRevision: 0 } });
    assert.deepEqual(await client.put("r", 3), { type: "ok", value: undefined });
    const read = await client.get("r", true);
    assert.equal(read.type, "ok");
    assert.equal(read.type === "ok" && read.value.value, 3);
  });

  it("compare-and-set succeeds only when the value matches", async () => {
    gateway.put("r", 1);
    assert.deepEqual(await client.compareAndSet("r", 2, 4), { type: "ok", value: false });
    assert.deepEqual(await client.compareAndSet("r", 1, 4), { type: "ok", value: true });
    assert.equal(((await client.get("r", false)) as { value: { value: unknown } }).value.value, 4);
  });

  it("reads a prefix in key order", async () => {
    gateway.put("set/2", 2);
    gateway.put("set/1", 1);
    gateway.put("other", 9);
    assert.deepEqual(await client.getPrefix("set/", false), { type: "ok", value: [1, 2] });
  });

  it("a timeout and a lost connection are info; a refused connection and a definite etcd error are fail", async () => {
    gateway.misbehave = () => "hang";
    assert.deepEqual(await impatient.put("r", 1), { type: "info", error: "timeout" });
    gateway.misbehave = () => "reset";
    const reset = await client.put("r", 1);
    assert.equal(reset.type, "info");
    gateway.misbehave = () => ({ status: 503, body: { error: "etcdserver: request timed out", code: 14 } });
    assert.deepEqual(await client.put("r", 1), { type: "info", error: "etcdserver: request timed out" });
    gateway.misbehave = () => ({ status: 429, body: { error: "etcdserver: too many requests", code: 14 } });
    assert.deepEqual(await client.put("r", 1), { type: "fail", error: "etcdserver: too many requests" });
    const nobody = new EtcdClient(await closedPort(), 30_000);
    assert.deepEqual(await nobody.put("r", 1), { type: "fail", error: "connection refused" });
  });
});

describe("workloads over the gateway", () => {
  it("register: a failed read is fail (no effect), a timed-out write is info, a refused cas is fail", async () => {
    const w = makeWorkload("cas-register", false);
    assert.deepEqual(await w.perform(client, { f: "write", value: 2 }), { type: "ok", value: 2 });
    assert.deepEqual(await w.perform(client, { f: "read", value: null }), { type: "ok", value: 2 });
    assert.deepEqual(await w.perform(client, { f: "cas", value: [1, 3] }), { type: "fail", value: [1, 3], error: "the value was not the expected one" });
    assert.deepEqual(await w.perform(client, { f: "cas", value: [2, 3] }), { type: "ok", value: [2, 3] });
    gateway.misbehave = () => "hang";
    assert.deepEqual(await w.perform(impatient, { f: "read", value: null }), { type: "fail", value: null, error: "timeout" });
    assert.deepEqual(await w.perform(impatient, { f: "write", value: 4 }), { type: "info", value: 4, error: "timeout" });
  });

  it("serializable reads ask for them; linearizable reads do not", async () => {
    const seen: unknown[] = [];
    gateway.misbehave = (path, body) => void (path === "/v3/kv/range" && seen.push(body.serializable));
    await makeWorkload("register", true).perform(client, { f: "read", value: null });
    await makeWorkload("register", false).perform(client, { f: "read", value: null });
    assert.deepEqual(seen, [true, false]);
  });

  it("set: adds unique elements and reads them back sorted; the final read is a read", async () => {
    const w = makeWorkload("set", false);
    for (const value of [10, 2, 7]) assert.equal((await w.perform(client, { f: "add", value })).type, "ok");
    assert.deepEqual(await w.perform(client, w.final!), { type: "ok", value: [2, 7, 10] });
  });

  it("counter: add retries when another write raced it, and reads the total", async () => {
    const w = makeWorkload("counter", false);
    gateway.put("counter", 5);
    let races = 2;
    gateway.beforeTxn = () => {
      if (races-- > 0) gateway.put("counter", 5);
    };
    assert.deepEqual(await w.perform(client, { f: "add", value: 3 }), { type: "ok", value: 3 });
    assert.deepEqual(await w.perform(client, { f: "read", value: null }), { type: "ok", value: 8 });
    gateway.beforeTxn = () => gateway.put("counter", 0);
    assert.deepEqual(await w.perform(client, { f: "add", value: 1 }), { type: "fail", value: 1, error: "lost the race 10 times" });
  });

  it("generated ops are deterministic for a seed and set elements never repeat", async () => {
    const { Random } = await import("../../../src/simulate/random.ts");
    const ops = (seed: number) => {
      const w = makeWorkload("set", false);
      const r = new Random(seed);
      return Array.from({ length: 200 }, () => w.next(r));
    };
    assert.deepEqual(ops(5), ops(5));
    const adds = ops(5).filter((o) => o.f === "add").map((o) => o.value);
    assert.equal(new Set(adds).size, adds.length);
    assert.ok(adds.length > 150);
  });
});
