import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Firewall, processAlive, staleRules, type IptablesRunner } from "../../src/collect/firewall.ts";

/** iptables as a list of rules (duplicates allowed, as in iptables): -I adds, -D removes one identical rule or fails. */
class FakeIptables {
  readonly rules: string[] = [];
  calls: string[][] = [];
  failDeletes = 0;
  run: IptablesRunner = async (args) => {
    this.calls.push([...args]);
    const [, table, verb, chain, ...spec] = args;
    const key = `${table} ${chain} ${spec.join(" ")}`;
    if (verb === "-I") this.rules.unshift(key);
    else if (verb === "-D") {
      if (this.failDeletes > 0) {
        this.failDeletes--;
        throw new Error("iptables: Resource temporarily unavailable.");
      }
      const at = this.rules.indexOf(key);
      if (at >= 0) this.rules.splice(at, 1);
      else throw new Error("iptables: Bad rule (does a matching rule exist in that chain?).");
    } else throw new Error(`unexpected ${verb}`);
  };
}

describe("firewall bookkeeping", () => {
  it("cuts peer traffic both ways, tagged, and heal removes exactly the partition rules", async () => {
    const ipt = new FakeIptables();
    const fw = new Firewall(ipt.run, [2380], "hindsight-collect:1");
    await fw.sourceAddress(4270001, "127.0.0.1");
    await fw.cut("127.0.0.1", "127.0.0.3");
    assert.deepEqual(ipt.calls[1], ["-t", "filter", "-I", "INPUT", "-s", "127.0.0.1", "-d", "127.0.0.3", "-p", "tcp", "-m", "multiport", "--ports", "2380", "-j", "DROP", "-m", "comment", "--comment", "hindsight-collect:1"]);
    assert.deepEqual(ipt.calls[2]!.slice(4, 8), ["-s", "127.0.0.3", "-d", "127.0.0.1"]);
    assert.deepEqual(ipt.calls[0], ["-t", "nat", "-I", "POSTROUTING", "-o", "lo", "-m", "owner", "--uid-owner", "4270001", "-j", "SNAT", "--to-source", "127.0.0.1", "-m", "comment", "--comment", "hindsight-collect:1"]);
    assert.equal(ipt.rules.length, 3);
    await fw.heal();
    assert.deepEqual([...ipt.rules], [`nat POSTROUTING ${ipt.calls[0]!.slice(4).join(" ")}`]);
    assert.equal(fw.active.length, 1);
    await fw.removeAll();
    assert.equal(ipt.rules.length, 0);
    assert.equal(fw.active.length, 0);
  });

  it("several peer ports go in one multiport match; dropReplies drops only what the server sends, and heals as a partition", async () => {
    const ipt = new FakeIptables();
    const fw = new Firewall(ipt.run, [6379, 26379], "t");
    await fw.cut("127.0.0.1", "127.0.0.2");
    assert.deepEqual(ipt.calls[0]!.slice(11, 14), ["multiport", "--ports", "6379,26379"]);
    await fw.dropReplies("127.0.0.9", 5432);
    assert.deepEqual(ipt.calls[2], ["-t", "filter", "-I", "INPUT", "-s", "127.0.0.9", "-p", "tcp", "--sport", "5432", "-j", "DROP", "-m", "comment", "--comment", "t"]);
    await fw.heal();
    assert.deepEqual(ipt.rules, []);
  });

  it("removeAll tries every rule even when some deletions fail, reports them, and a retry finishes the job", async () => {
    const ipt = new FakeIptables();
    const fw = new Firewall(ipt.run, [2380], "t");
    await fw.sourceAddress(1, "127.0.0.1");
    await fw.cut("127.0.0.1", "127.0.0.2");
    ipt.failDeletes = 1;
    await assert.rejects(fw.removeAll(), (e: AggregateError) => e.errors.length === 1 && /could not remove 1 iptables rule/.test(e.message));
    assert.equal(ipt.rules.length, 1, "the other two were removed");
    assert.equal(fw.active.length, 1, "the failed one is still remembered");
    await fw.removeAll();
    assert.equal(ipt.rules.length, 0);
  });

  it("a rule that iptables refused to add is not remembered (teardown would fail to delete it)", async () => {
    const ipt = new FakeIptables();
    const refusing: IptablesRunner = async (args) => {
      if (args.includes("127.0.0.9")) throw new Error("refused");
      await ipt.run(args);
    };
    const fw = new Firewall(refusing, [2380], "t");
    await assert.rejects(fw.cut("127.0.0.9", "127.0.0.1"));
    assert.equal(fw.active.length, 0);
    await fw.removeAll();
  });

  it("after any sequence of cuts, heals and source rules, removeAll leaves no rule behind", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constant<"heal">("heal"), fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), fc.integer({ min: 1, max: 5 })), { maxLength: 30 }), async (steps) => {
        const ipt = new FakeIptables();
        const fw = new Firewall(ipt.run, [2380], "t");
        for (const step of steps) {
          if (step === "heal") await fw.heal();
          else if (Array.isArray(step)) await fw.cut(`127.0.0.${step[0]}`, `127.0.0.${step[1]}`);
          else await fw.sourceAddress(step, `127.0.0.${step}`);
        }
        assert.equal(fw.active.length, ipt.calls.filter((c) => c[2] === "-I").length - ipt.calls.filter((c) => c[2] === "-D").length);
        await fw.removeAll();
        assert.equal(ipt.rules.length, 0);
      }),
    );
  });
});

describe("rules left by a killed collector", () => {
  const save = `# Generated by iptables-save v1.8.9 (nf_tables)
*filter
:INPUT ACCEPT [0:0]
-A INPUT -s 127.0.0.5/32 -d 127.0.0.2/32 -p tcp -m multiport --ports 2380 -m comment --comment "hindsight-collect:21097" -j DROP
-A INPUT -s 127.0.0.9/32 -j DROP
-A INPUT -s 127.0.0.4/32 -d 127.0.0.2/32 -p tcp -m multiport --ports 2380 -m comment --comment hindsight-collect:555 -j DROP
COMMIT
*nat
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -o lo -m owner --uid-owner 4270001 -m comment --comment "hindsight-collect:21097" -j SNAT --to-source 127.0.0.1
COMMIT
`;

  it("are the tagged rules whose PID is dead, as iptables -D arguments in their table; others' rules are kept", () => {
    assert.deepEqual(staleRules(save, (pid) => pid === 555), [
      ["-t", "filter", "-D", "INPUT", "-s", "127.0.0.5/32", "-d", "127.0.0.2/32", "-p", "tcp", "-m", "multiport", "--ports", "2380", "-m", "comment", "--comment", "hindsight-collect:21097", "-j", "DROP"],
      ["-t", "nat", "-D", "POSTROUTING", "-o", "lo", "-m", "owner", "--uid-owner", "4270001", "-m", "comment", "--comment", "hindsight-collect:21097", "-j", "SNAT", "--to-source", "127.0.0.1"],
    ]);
    assert.deepEqual(staleRules(save, () => true), []);
  });

  it("this process is alive; a PID past the maximum is not", () => {
    assert.equal(processAlive(process.pid), true);
    assert.equal(processAlive(2 ** 22 + 1), false);
  });
});
