import { isClientProcess } from "../../history/op.ts";
import { initialState, INITIAL_FLAG, type Budget, type FlagText } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { checkLinearizable } from "./linearizable.ts";
import { inferModel, modelNamed, MODELS } from "./models.ts";
import { toLinOp, type LinearizableOptions } from "./plan.ts";
import { linearizableSection } from "./section.ts";

/** Models `--checker auto` runs on its own; set and queue searches can be costly, so they need --checker linearizable. */
const AUTO_MODELS = new Set(["register", "cas-register", "mutex", "multi-register", "kv", "kv-append"]);

export function linearizableOptions(flags: FlagText, budget: Budget): LinearizableOptions {
  if (flags.model !== undefined && flags.model !== "auto") modelNamed(flags.model);
  return { ...budget, model: flags.model, initial: initialState(flags) };
}

export const linearizableChecker = describeChecker({
  name: "linearizable",
  description: "linearizability against a model (register, cas-register, mutex, multi-register, kv, kv-append, set, fifo-queue), WGL search with P-compositionality",
  appliesBecause(history) {
    const client = history.operations.filter((o) => isClientProcess(o.process));
    const choice = inferModel(client.map(toLinOp));
    return choice && AUTO_MODELS.has(choice.model.name) ? choice.reason : undefined;
  },
  flags: [{ flags: "--model <name>", description: `linearizability model: auto or ${MODELS.map((m) => m.name).join(", ")}` }, INITIAL_FLAG],
  options: linearizableOptions,
  check: (history, options) => checkLinearizable(history, options),
  section: linearizableSection,
});
