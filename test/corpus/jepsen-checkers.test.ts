/** elle-cli's verdicts on its bank and long-fork histories, with --checker auto picking the checker. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeFile } from "../../src/analyze.ts";
import type { BankEvidence, BankFigures } from "../../src/checkers/bank/bank.ts";
import type { CheckerResult } from "../../src/checkers/checker.ts";
import type { LongForkEvidence, LongForkFigures } from "../../src/checkers/long-fork/long-fork.ts";
import { buildReport } from "../../src/report/build.ts";
import { renderHtml } from "../../src/report/html.ts";
import { corpusMissing, corpusPath } from "./corpus.ts";

const skip = corpusMissing();
const jepsen = (name: string): string => corpusPath("elle-cli", "jepsen", name);

async function auto<E, S extends object>(file: string, checker: string): Promise<CheckerResult<E, S> & { picked: string[] }> {
  const { verdict } = await analyzeFile(jepsen(file), { checkers: ["auto"] });
  const picked = verdict.picked.map((p) => p.checker);
  const found = verdict.checkers.find((c) => c.checker === checker);
  assert.ok(found, `${file}: auto picked ${picked.join(", ")}, not ${checker}`);
  assert.equal(verdict.valid, found.valid, `${file}: the file's verdict is the ${checker}'s`);
  return { ...(found as CheckerResult<E, S>), picked };
}

describe("bank and long-fork on elle-cli's Jepsen histories", { skip }, () => {
  for (const file of ["bank.edn", "bank.json"]) {
    it(`${file}: auto picks bank; valid, 10 accounts totalling 100 from the first read`, async () => {
      const bank = await auto<BankEvidence, BankFigures>(file, "bank");
      assert.deepEqual(bank.picked, ["stats", "bank"]);
      assert.equal(bank.valid, true);
      assert.deepEqual([bank.stats.accounts.length, bank.stats.totalAmount, bank.stats.accountsFrom, bank.stats.reads, bank.stats.transfers], [10, 100, "first-read", 168, 152]);
      assert.deepEqual([bank.stats.lowestTotal, bank.stats.highestTotal], [100, 100]);
    });
  }

  it("bank-neg.edn: valid (one read of three accounts)", async () => {
    const bank = await auto<BankEvidence, BankFigures>("bank-neg.edn", "bank");
    assert.equal(bank.valid, true);
    assert.equal(bank.stats.totalAmount, 30);
  });

  it("bank-negative-balances.json: invalid, the read with account 7 at -1", async () => {
    const bank = await auto<BankEvidence, BankFigures>("bank-negative-balances.json", "bank");
    assert.equal(bank.valid, false);
    const negative = bank.evidence.errors["negative-value"]!;
    assert.equal(negative.count, 1);
    assert.deepEqual([negative.first.readId, negative.first.negative], [1, [-1]]);
  });

  it("long-fork.edn: auto picks long-fork; invalid, the two reads forking over keys 1 and 2 (group size 3 inferred)", async () => {
    const fork = await auto<LongForkEvidence, LongForkFigures>("long-fork.edn", "long-fork");
    assert.equal(fork.valid, false);
    assert.deepEqual([fork.stats.groupSize, fork.stats.groupSizeFrom], [3, "inferred"]);
    assert.deepEqual(fork.evidence.forks.map((f) => [f.reads, f.keys]), [[[0, 1], [1, 2]]]);
  });

  it("long-fork.edn with --group-size 3 (elle-cli's option): the same fork", async () => {
    const { verdict } = await analyzeFile(jepsen("long-fork.edn"), { checkers: ["long-fork"], flags: { groupSize: "3" } });
    assert.equal(verdict.valid, false);
    assert.equal((verdict.checkers[0]!.stats as LongForkFigures).groupSizeFrom, "option");
  });

  it("bank.edn's report draws each read's total with the nemesis pauses shaded", async () => {
    const { verdict, history } = await analyzeFile(jepsen("bank.edn"), { checkers: ["auto"] });
    const html = renderHtml(buildReport(verdict, history));
    assert.match(html, /Total of each read over time/);
    assert.match(html, /class="fault-window"[^>]*><rect/);
  });
});
