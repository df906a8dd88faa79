import { isClientProcess } from "../../history/op.ts";
import type { Budget, FlagText } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { plural } from "../../history/values.ts";
import { checkTxn, TxnFold, type TxnOptions } from "./check.ts";
import { MICRO_OP_NAMES } from "./workloads/index.ts";
import { consistencyModelNamed, DEFAULT_MODEL } from "./models.ts";
import { txnParts } from "./parts.ts";
import { txnSection } from "./section.ts";

export function txnOptions(flags: FlagText, budget: Budget): TxnOptions {
  if (flags.consistencyModel !== undefined) consistencyModelNamed(flags.consistencyModel);
  // Elle's inferences are switches: present or absent.
  return { ...budget, consistencyModel: flags.consistencyModel, sequentialKeys: flags.sequentialKeys !== undefined, linearizableKeys: flags.linearizableKeys !== undefined, wfrKeys: flags.wfrKeys !== undefined };
}

export const txnChecker = describeChecker({
  name: "txn",
  description: "transactional anomalies (Adya G0–G2, ANSI P0–P4) and the consistency models they rule out, Elle-style",
  appliesBecause(history) {
    const txns = history.operations.filter((o) => o.f === "txn" && isClientProcess(o.process));
    // Other txn vocabularies (e.g. Knossos's [read k v] / [write k v] registers) are not ours.
    const ours = txns.some((o) => Array.isArray(o.input) && o.input.some((m) => Array.isArray(m) && MICRO_OP_NAMES.has(m[0])));
    return ours ? `${plural(txns.length, "operation")} with f "txn" made of r / append / w micro-ops` : undefined;
  },
  flags: [
    { flags: "--consistency-model <name>", description: `txn: the consistency model that decides validity (default ${DEFAULT_MODEL})` },
    { flags: "--sequential-keys", description: "txn, rw-register: each process observes a key's versions in order (Elle's sequential-keys?)" },
    { flags: "--linearizable-keys", description: "txn, rw-register: a txn completed before another began saw no later version of a key (Elle's linearizable-keys?)" },
    { flags: "--wfr-keys", description: "txn, rw-register: within a txn, a write follows the version it read (Elle's wfr-keys?)" },
  ],
  options: txnOptions,
  check: (history, options) => checkTxn(history, options),
  fold: (options) => new TxnFold(options),
  parts: txnParts,
  section: txnSection,
});
