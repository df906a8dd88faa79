/**
 * Jepsen's bank: transfers of 1–5 between five accounts holding 20 each, and reads of every
 * balance. A store applies each transfer whole (a transaction or a script: it fails when the
 * source cannot cover it), so replicas that drop or lose transfers still show the right total —
 * a bank read cannot see a lost transfer. Under last-write-wins the coordinator writes the two new
 * balances it computed from its own, possibly stale, replica: concurrent transfers overwrite each
 * other's balances and the total drifts (lost updates), which bank reads do see.
 */
import type { Completed, Expectation } from "../truth.ts";
import type { Applied, DataWorkload, Invocation, Observer, WorkloadDefinition } from "../workload.ts";

const ACCOUNTS = 5;
const INITIAL_BALANCE = 20;
const MAX_TRANSFER = 5;

interface Transfer {
  from: number;
  to: number;
  amount: number;
}

/** Balances per account, and (for last-write-wins) the timestamp of each balance's last write. */
export interface Bank {
  balances: number[];
  ts: number[];
}

function bankWorkload(): DataWorkload<Bank> {
  /** What a transfer wrote where it was coordinated: the balances every replica then takes (LWW). */
  const written = new WeakMap<Invocation, [account: number, balance: number][]>();
  return {
    kind: "data",
    name: "bank",
    init: () => ({ balances: Array<number>(ACCOUNTS).fill(INITIAL_BALANCE), ts: Array<number>(ACCOUNTS).fill(-Infinity) }),
    clone: (s) => ({ balances: [...s.balances], ts: [...s.ts] }),
    next({ rng }): Invocation {
      if (rng.chance(0.4)) return { f: "read", value: null };
      const from = rng.int(ACCOUNTS);
      const to = (from + 1 + rng.int(ACCOUNTS - 1)) % ACCOUNTS;
      return { f: "transfer", value: { from, to, amount: 1 + rng.int(MAX_TRANSFER) } satisfies Transfer };
    },
    isRead: (op) => op.f === "read",
    apply(state, op): Applied {
      if (op.f === "read") return { ok: true, value: Object.fromEntries(state.balances.map((b, account) => [account, b])) };
      const { from, to, amount } = op.value as Transfer;
      if (state.balances[from]! < amount) return { ok: false, value: op.value };
      state.balances[from]! -= amount;
      state.balances[to]! += amount;
      return { ok: true, value: op.value };
    },
    merge(state, op, ts) {
      let writes = written.get(op);
      if (writes === undefined) {
        const { from, to, amount } = op.value as Transfer;
        writes = state.balances[from]! < amount ? [] : [[from, state.balances[from]! - amount], [to, state.balances[to]! + amount]];
        written.set(op, writes);
      }
      for (const [account, balance] of writes) {
        if (ts > state.ts[account]! || (ts === state.ts[account] && balance > state.balances[account]!)) {
          state.balances[account] = balance;
          state.ts[account] = ts;
        }
      }
    },
    finalReads: () => [{ f: "read", value: null }],
    observer: () => new BankObserver(),
  };
}

/**
 * Judges each ok read as the bank checker does by default (elle-cli's way: accounts and total
 * from the first ok read), and also against the true total, which the store never changes.
 */
class BankObserver implements Observer {
  private first: { accounts: string; total: number } | undefined;
  private reads = 0;
  private wrong = 0;
  private offTrueTotal = 0;
  private firstWitness: number[] | undefined;

  invoked(): void {}

  completed(_slot: number, op: Completed): void {
    if (op.f !== "read" || op.outcome !== "ok") return;
    const balances = op.output as Record<string, number>;
    const accounts = Object.keys(balances).join(" ");
    const total = Object.values(balances).reduce((s, b) => s + b, 0);
    this.first ??= { accounts, total };
    this.reads++;
    if (total !== ACCOUNTS * INITIAL_BALANCE) this.offTrueTotal++;
    if (accounts !== this.first.accounts || total !== this.first.total || Object.values(balances).some((b) => b < 0)) {
      this.wrong++;
      this.firstWitness ??= [op.invokeIndex, op.completeIndex];
    }
  }

  findings(): { facts: Record<string, unknown>; expect: Expectation[] } {
    const facts = { reads: this.reads, wrongReads: this.wrong, readsOffTheTrueTotal: this.offTrueTotal, trueTotal: ACCOUNTS * INITIAL_BALANCE, firstReadTotal: this.first?.total ?? null };
    if (this.reads === 0) return { facts, expect: [] };
    if (this.wrong > 0) return { facts, expect: [{ checker: "bank", valid: false, because: `${this.wrong} read(s) whose total differs from the first read's ${this.first!.total} (or with a negative balance)`, witness: this.firstWitness }] };
    return { facts, expect: [{ checker: "bank", valid: true, because: `every read totals ${this.first!.total}, as the first did, with no negative balance` }] };
  }
}

export const bank: WorkloadDefinition = {
  name: "bank",
  description: "transfers between five accounts and reads of every balance (Jepsen's bank)",
  create: bankWorkload,
};
