import { isClientProcess } from "../../history/op.ts";
import type { Budget, FlagText } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { checkTxn, plural, type TxnOptions } from "./check.ts";
import { MICRO_OP_NAMES } from "./facts.ts";
import { consistencyModelNamed, DEFAULT_MODEL } from "./models.ts";
import { txnSection } from "./section.ts";

export function txnOptions(flags: FlagText, budget: Budget): TxnOptions {
  if (flags.consistencyModel !== undefined) consistencyModelNamed(flags.consistencyModel);
  return { ...budget, consistencyModel: flags.consistencyModel };
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
  flags: [{ flags: "--consistency-model <name>", description: `txn: the consistency model that decides validity (default ${DEFAULT_MODEL})` }],
  options: txnOptions,
  check: (history, options) => checkTxn(history, options),
  section: txnSection,
});
