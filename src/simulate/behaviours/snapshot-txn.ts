/** Snapshot isolation: reads from a start snapshot, first committer wins; write skew (G2) is allowed. */
import { txnOnly, type Behaviour } from "../behaviour.ts";
import type { TxnWorkload } from "../workload.ts";
import { versionedStore } from "./versioned.ts";

export const snapshotTxn: Behaviour = {
  name: "snapshot-txn",
  like: "PostgreSQL REPEATABLE READ",
  description: "snapshot isolation: one snapshot per transaction, first committer wins; write skew possible",
  guarantee: { linearizable: false, txnModel: "snapshot-isolation" },
  rejects: txnOnly,
  create: (context, workload) => versionedStore(context, workload as TxnWorkload, "snapshot"),
};
