import { failedResult, type Budget, type FlagText } from "../checkers/checker.ts";
import type { ConfiguredParts } from "../checkers/descriptor.ts";
import { guardedCheck } from "../checkers/guard.ts";
import type { CheckerOutcome, Choice, KnownResult } from "../checkers/registry.ts";
import type { History } from "../history/history.ts";
import type { Runner } from "./runner.ts";
import { INLINE_CPU_MS, schedule } from "./schedule.ts";

/** Operations in a checker's parts above which workers start at once rather than after INLINE_CPU_MS of inline work. */
export const PARTS_COST_FOR_WORKERS = 20_000;

/**
 * The checker's check, with its independent parts (CheckerParts) spread over the runner's
 * workers and the caller's thread; a failure is `unknown`, never a crash. Without workers, or
 * without parts, it is the checker's own `check`.
 */
export async function runCheckerOn(runner: Runner, choice: Choice, history: History, flags: FlagText, budget: Budget, costForWorkers = PARTS_COST_FOR_WORKERS): Promise<CheckerOutcome> {
  const { checker } = choice;
  if (runner.size === 0) return guardedCheck(checker.name, () => checker.configure(flags, budget).check(history));
  try {
    const configured = checker.configure(flags, budget);
    return configured.parts ? await runParts(runner, checker.name, configured.parts, history, costForWorkers) : configured.check(history);
  } catch (error) {
    return failedResult(checker.name, error);
  }
}

async function runParts(runner: Runner, checker: string, parts: ConfiguredParts<KnownResult>, history: History, costForWorkers: number): Promise<KnownResult> {
  const plan = parts.plan(history);
  if (!("compose" in plan)) return plan;
  const cost = plan.parts.reduce<number>((sum, part) => sum + parts.cost(part), 0);
  const results = await schedule(runner, {
    items: plan.parts,
    // Under --memory-limit only the workers' heaps are capped: the parts go there.
    inline: runner.memoryLimitMb === undefined ? (part) => parts.checkPart(part) : undefined,
    remote: async (lane, part, signal) => {
      const outcome = await runner.run(lane, { kind: "part", checker, part }, signal);
      return outcome.ok ? outcome.value : parts.lost(part, outcome.reason);
    },
    workersAfterCpuMs: plan.parts.length < 2 ? Infinity : cost >= costForWorkers ? 0 : INLINE_CPU_MS,
    decisive: (result) => plan.decisive?.(result) ?? false,
  });
  return plan.compose(results.filter((r) => r !== undefined));
}
