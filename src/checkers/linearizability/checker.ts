import { isClientProcess } from "../../history/op.ts";
import { initialState, INITIAL_FLAG, type Budget, type FlagText } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { INDEPENDENT_FLAGS, independentOption } from "../independent/flags.ts";
import { independentBecause, splitByKey } from "../independent/split.ts";
import { checkLinearizable, LinearizableFold } from "./linearizable.ts";
import { inferModel, modelList, modelNamed } from "./models.ts";
import type { LinearizableOptions } from "./plan.ts";
import { toLinOp } from "./source.ts";
import { linearizableParts } from "./parts.ts";
import { linearizableSection } from "./section.ts";
import { SEMANTICS, semanticsNamed } from "./semantics.ts";

export function linearizableOptions(flags: FlagText, budget: Budget): LinearizableOptions {
  if (flags.model !== undefined && flags.model !== "auto") modelNamed(flags.model);
  if (flags.semantics !== undefined && flags.semantics !== "auto") semanticsNamed(flags.semantics);
  return { ...budget, model: flags.model, initial: initialState(flags), semantics: flags.semantics, firstFailure: flags.firstFailure === "true", independent: independentOption(flags) };
}

export const linearizableChecker = describeChecker({
  name: "linearizable",
  description: "linearizability against a model (register, cas-register, mutex, multi-register, kv, kv-append, set, fifo-queue), WGL search with P-compositionality",
  appliesBecause(history) {
    const independent = independentBecause(history);
    const ops = independent === undefined ? history.operations : splitByKey(history).flatMap((k) => k.history.operations);
    const choice = inferModel(ops.filter((o) => isClientProcess(o.process)).map(toLinOp));
    // Set and queue searches can be costly: those models need --checker linearizable.
    if (!choice?.model.auto) return undefined;
    return independent === undefined ? choice.reason : `${choice.reason}, per key: ${independent}`;
  },
  flags: [
    { flags: "--model <name>", description: `linearizability model: auto or ${modelList()}` },
    INITIAL_FLAG,
    { flags: "--semantics <name>", description: `linearizability: how nil reads and failed ops are read, auto (from the format) or ${SEMANTICS.map((s) => `${s.name} (${s.means})`).join("; ")}` },
    { flags: "--first-failure", description: "linearizability: stop at the first part found not linearizable instead of deciding every part" },
    ...INDEPENDENT_FLAGS,
  ],
  options: linearizableOptions,
  check: (history, options) => checkLinearizable(history, options),
  fold: (options) => new LinearizableFold(options),
  parts: linearizableParts,
  section: linearizableSection,
});
