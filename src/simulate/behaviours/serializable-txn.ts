/** A transactional store that runs each transaction at one instant: strict serializability (like a single-leader SQL store under SERIALIZABLE). */
import { txnOnly, type Behaviour } from "../behaviour.ts";
import type { TxnWorkload } from "../workload.ts";
import { versionedStore } from "./versioned.ts";

export const serializableTxn: Behaviour = {
  name: "serializable-txn",
  like: "a SERIALIZABLE SQL store",
  description: "transactions take effect at one instant between invocation and completion (strict serializable)",
  guarantee: { linearizable: true, txnModel: "strict-serializable" },
  rejects: txnOnly,
  create: (context, workload) => versionedStore(context, workload as TxnWorkload, "at-commit"),
};
