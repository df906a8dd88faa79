import type { NamedResult } from "../checker.ts";
import type { CheckerDescriptor } from "../descriptor.ts";
import { INDEPENDENT_FLAGS, independentOption } from "./flags.ts";
import { checkByKey, IndependentFold, isNotTuples, isPerKey, type IndependentOptions, type KeyedResult } from "./independent.ts";
import { independentSection } from "./section.ts";
import { independentBecause, splitByKey } from "./split.ts";

/**
 * A checker's descriptor over Jepsen independent keys (checkByKey): its own flags plus
 * --independent / --no-independent, picked by `--checker auto` when some key's ops fit it, its
 * report section per key. Same name: `--checker set` on tuples checks each key as a set.
 */
export function withIndependentKeys<Name extends string, Options, Result extends NamedResult<Name, unknown, object>>(
  inner: CheckerDescriptor<Name, Options, Result>,
): CheckerDescriptor<Name, Options & IndependentOptions, KeyedResult<Name, Result>> {
  const { fold, section, batchTable } = inner;
  return {
    name: inner.name,
    description: `${inner.description}; per key on Jepsen independent keys`,
    flags: [...(inner.flags ?? []), ...INDEPENDENT_FLAGS],
    options: (flags, budget) => ({ ...inner.options(flags, budget), independent: independentOption(flags) }),
    appliesBecause(history) {
      const because = independentBecause(history);
      if (because === undefined) return inner.appliesBecause(history);
      for (const { history: sub } of splitByKey(history)) {
        const reason = inner.appliesBecause(sub);
        if (reason !== undefined) return `${reason}, per key: ${because}`;
      }
      return undefined;
    },
    judges(history) {
      const judges = (h: typeof history): boolean => (inner.judges ? inner.judges(h) : inner.appliesBecause(h) !== undefined);
      return independentBecause(history) === undefined ? judges(history) : splitByKey(history).some(({ history: sub }) => judges(sub));
    },
    check: (history, options) => checkByKey(inner, history, options),
    fold: fold && ((options) => new IndependentFold(inner, options)),
    supersedes: inner.supersedes,
    informational: inner.informational,
    // A result checked per key has no single row of the inner checker's figures.
    batchTable: batchTable && { ...batchTable, row: (result) => (isPerKey(result) || isNotTuples(result) ? undefined : batchTable.row(result)) },
    section(result, history, context) {
      if (isPerKey(result)) return independentSection(result, history, section && ((r, h) => section(r, h, context)));
      if (isNotTuples(result)) return { id: result.checker, title: result.checker, valid: result.valid, blocks: [{ kind: "paragraph", text: result.summary }] };
      return section?.(result, history, context) ?? { id: result.checker, title: result.checker, valid: result.valid, blocks: [{ kind: "paragraph", text: result.summary }] };
    },
  };
}
