import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { choice } from "../../src/collect/collectors.ts";
import { COLLECTORS } from "../../src/collect/registry.ts";

describe("collectors", () => {
  it("choice gives a listed value its narrow type and refuses anything else", () => {
    assert.equal(choice(["set", "register"] as const, "set"), "set");
    assert.throws(() => choice(["set", "register"] as const, "list-append"), /list-append: expected one of set, register/);
    assert.throws(() => choice(["a"] as const, undefined), RangeError);
  });

  it("every collector's defaults are among its own workloads and nemeses", () => {
    assert.deepEqual(COLLECTORS.map((c) => c.name), ["etcd", "postgres", "redis", "zookeeper"]);
    for (const c of COLLECTORS) {
      assert.ok(c.workloads.includes(c.defaults.workload), c.name);
      assert.ok(c.nemeses.includes(c.defaults.nemesis), c.name);
      assert.ok(c.nemeses.includes("none"), c.name);
    }
  });
});
