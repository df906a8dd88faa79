import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EtcdCluster, memberAddresses } from "../../../src/collect/etcd/cluster.ts";

describe("etcd cluster layout", () => {
  it("puts members on consecutive addresses, named n1…", () => {
    assert.deepEqual(memberAddresses("127.0.0.1", 5), ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]);
    const cluster = new EtcdCluster({ dir: "/nonexistent", members: 3, firstAddress: "127.9.0.11" });
    assert.deepEqual(cluster.members.map((m) => [m.name, m.address]), [["n1", "127.9.0.11"], ["n2", "127.9.0.12"], ["n3", "127.9.0.13"]]);
    assert.equal(cluster.clientUrl(1), "http://127.9.0.12:2379");
    assert.equal(cluster.members[0]!.dataDir, "/nonexistent/n1/data");
  });

  it("gives every loopback address its own uid, so concurrent clusters never share one", () => {
    const uids = (first: string) => new EtcdCluster({ dir: "/x", members: 5, firstAddress: first }).members.map((m) => m.uid);
    assert.deepEqual(uids("127.0.0.1"), [100_000_001, 100_000_002, 100_000_003, 100_000_004, 100_000_005]);
    const all = [...uids("127.0.0.1"), ...uids("127.1.0.1"), ...uids("127.0.1.1"), ...uids("127.45.0.11")];
    assert.equal(new Set(all).size, all.length);
    assert.ok(all.every((uid) => uid < 2 ** 31), "a valid uid");
  });

  it("refuses an address with no room for the members", () => {
    assert.throws(() => memberAddresses("127.0.0.252", 5), /127\.0\.0\.252: expected an IPv4 address with room for 5/);
    assert.throws(() => memberAddresses("localhost", 1), /expected an IPv4 address/);
  });
});
