import type { CheckerParts, CheckerResult, CheckOptions } from "../checkers/checker.ts";
import type { CheckerChoice } from "../checkers/registry.ts";
import { failedResult, runChecker } from "../checkers/verdict.ts";
import type { History } from "../history/history.ts";
import type { Runner } from "./runner.ts";
import { INLINE_CPU_MS, schedule } from "./schedule.ts";

/** Operations in a checker's parts above which workers start at once rather than after INLINE_CPU_MS of inline work. */
export const PARTS_COST_FOR_WORKERS = 20_000;

/**
 * runChecker, with the checker's independent parts (CheckerParts) spread over the runner's
 * workers and the caller's thread; a failure is `unknown`, never a crash. Without workers, or
 * without parts, it is the checker's own `check`.
 */
export async function runCheckerOn(runner: Runner, choice: CheckerChoice, history: History, options: CheckOptions, costForWorkers = PARTS_COST_FOR_WORKERS): Promise<CheckerResult> {
  const parts = choice.checker.parts;
  if (!parts || runner.size === 0) return runChecker(choice, history, options);
  try {
    return await runParts(runner, choice.checker.name, parts, history, options, costForWorkers);
  } catch (error) {
    return failedResult(choice.checker.name, error);
  }
}

async function runParts(runner: Runner, checker: string, parts: CheckerParts, history: History, options: CheckOptions, costForWorkers: number): Promise<CheckerResult> {
  const plan = parts.plan(history, options);
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
    decisive: (result) => parts.decisive?.(result) ?? false,
  });
  return plan.compose(results.filter((r) => r !== undefined));
}
