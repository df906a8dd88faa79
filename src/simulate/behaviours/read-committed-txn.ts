/** Read committed: every read sees the latest commit at its own moment, so non-repeatable reads and read skew happen; writes lock rows. */
import { txnOnly, type Behaviour } from "../behaviour.ts";
import type { TxnWorkload } from "../workload.ts";
import { versionedStore } from "./versioned.ts";

export const readCommittedTxn: Behaviour = {
  name: "read-committed-txn",
  like: "PostgreSQL READ COMMITTED",
  description: "read committed: each read sees the latest commit, writes lock rows; non-repeatable reads and read skew possible",
  guarantee: { linearizable: false, txnModel: "read-committed" },
  rejects: txnOnly,
  create: (context, workload) => versionedStore(context, workload as TxnWorkload, "latest"),
};
