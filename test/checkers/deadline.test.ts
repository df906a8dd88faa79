import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failedResult } from "../../src/checkers/checker.ts";
import { DeadlineWatch, remainingMs, startDeadline, TimeLimitReached } from "../../src/checkers/deadline.ts";
import { manualDeadline } from "../support/deadline.ts";

describe("the analysis deadline", () => {
  it("starts at the clock's now plus the limit, and only with a --time-limit", () => {
    assert.equal(startDeadline(undefined, () => 5), undefined);
    const deadline = startDeadline(200, () => 5);
    assert.equal(deadline?.at, 205);
    assert.equal(deadline?.limitMs, 200);
  });

  it("reads the clock every `every` ticks and throws, naming the work and how far it got, once past", () => {
    const { deadline, clock } = manualDeadline(200);
    let reads = 0;
    const counted = { ...deadline, clock: () => (reads++, clock.now) };
    const watch = new DeadlineWatch(counted, "reading", "record", 3);
    for (let i = 0; i < 6; i++) watch.tick();
    assert.equal(reads, 2);
    clock.now = 200;
    watch.tick();
    watch.tick();
    assert.equal(reads, 2);
    assert.throws(() => watch.tick(), (e: unknown) => e instanceof TimeLimitReached && e.message === "the --time-limit of 0.2 s was reached while reading, after 9 records");
  });

  it("never reads a clock without a deadline", () => {
    const watch = new DeadlineWatch(undefined, "reading", "record", 1);
    for (let i = 0; i < 10; i++) watch.tick();
  });

  it("leaves a search what remains to the deadline, or the bare limit without one", () => {
    const { deadline, clock } = manualDeadline(200);
    clock.now = 150;
    assert.equal(remainingMs(deadline, 200), 50);
    clock.now = 300;
    assert.equal(remainingMs(deadline, 200), 0);
    assert.equal(remainingMs(undefined, 200), 200);
    assert.equal(remainingMs(undefined, undefined), undefined);
  });

  it("turns into an unknown result whose summary is the reason, not a failure", () => {
    const result = failedResult("stats", new TimeLimitReached("the --time-limit of 0.2 s was reached while reading, after 4096 records"));
    assert.equal(result.valid, "unknown");
    assert.equal(result.summary, "the --time-limit of 0.2 s was reached while reading, after 4096 records");
    assert.match(failedResult("stats", new Error("boom")).summary, /^the checker failed: boom$/);
  });
});
