import type { Runner } from "./runner.ts";

/**
 * CPU time (ms) the caller's thread spends on work before workers are started for what is left,
 * unless its estimated cost asked for them at once: a worker's start-up (~0.2 s of CPU) then
 * costs at most a fraction of the work. CPU, not wall time: on a loaded machine wall time says
 * nothing about how much work there was.
 */
export const INLINE_CPU_MS = 1000;

export interface Work<Item, Result> {
  items: readonly Item[];
  /** Runs an item on the caller's thread; absent when it must not (under --memory-limit only workers are capped). */
  inline?: (item: Item) => Result | Promise<Result>;
  /** Inline items in flight at once (default 1): more lets one item's I/O overlap another's work. */
  inlineConcurrency?: number;
  /** Runs an item on worker `lane` of the runner; a lost run must come back as a Result too. */
  remote(lane: number, item: Item, signal: AbortSignal): Promise<Result>;
  /** Start workers after this much CPU time (ms) of inline work with items left (0: at once; Infinity: never). */
  workersAfterCpuMs: number;
  /** A result that settles the whole: later items are not run (those running are stopped). */
  decisive?(result: Result): boolean;
  /** Called as each result arrives, in whatever order they finish. */
  onResult?(index: number, result: Result): void;
  /** Aborting stops the workers and leaves the items not yet done without a result. */
  signal?: AbortSignal;
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/**
 * Runs items on the caller's thread and on the runner's workers, each lane taking the next item
 * in order when it is free; a worker lane takes its first item only once its thread has started,
 * so start-up never holds work back. Results come back in item order, up to and including the
 * first decisive one: the same whichever lane ran what.
 */
export async function schedule<Item, Result>(runner: Runner, work: Work<Item, Result>): Promise<(Result | undefined)[]> {
  const { items, signal } = work;
  const results: (Result | undefined)[] = new Array(items.length).fill(undefined);
  const running = new Map<number, AbortController>();
  let next = 0;
  let stopAfter = Infinity;
  let noMoreItems!: () => void;
  const exhausted = new Promise<void>((resolve) => (noMoreItems = resolve));
  const take = (): number | undefined => {
    if (next < items.length && next <= stopAfter && !signal?.aborted) return next++;
    noMoreItems();
    return undefined;
  };
  const record = (index: number, result: Result): void => {
    results[index] = result;
    work.onResult?.(index, result);
    if (index < stopAfter && work.decisive?.(result)) {
      stopAfter = index;
      for (const [i, controller] of running) if (i > index) controller.abort();
    }
  };
  const stopAll = (): void => running.forEach((controller) => controller.abort());
  signal?.addEventListener("abort", stopAll, { once: true });

  const workerLanes: Promise<void>[] = [];
  const startWorkers = (): void => {
    for (let lane = 0; lane < runner.size; lane++) workerLanes.push(workerLane(lane));
  };
  const cpuAtStart = process.cpuUsage();
  const inlineLane = async (inline: (item: Item) => Result | Promise<Result>): Promise<void> => {
    for (let i = take(); i !== undefined; i = take()) {
      record(i, await inline(items[i]!));
      if (workerLanes.length === 0 && next < items.length && work.workersAfterCpuMs !== Infinity && cpuMs(process.cpuUsage(cpuAtStart)) >= work.workersAfterCpuMs) startWorkers();
      // Lets worker messages in between two inline items.
      if (workerLanes.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const workerLane = async (lane: number): Promise<void> => {
    const started = await Promise.race([runner.warm(lane).then(() => true), exhausted.then(() => false)]);
    if (!started) return;
    for (let i = take(); i !== undefined; i = take()) {
      const controller = new AbortController();
      running.set(i, controller);
      const result = await work.remote(lane, items[i]!, controller.signal);
      running.delete(i);
      if (!controller.signal.aborted) record(i, result);
    }
  };
  if (!work.inline || work.workersAfterCpuMs === 0) startWorkers();
  try {
    const inline = work.inline;
    if (inline) await Promise.all(Array.from({ length: work.inlineConcurrency ?? 1 }, () => inlineLane(inline)));
    // Lanes started while the inline one ran are in the list by now.
    await Promise.all(workerLanes);
  } finally {
    signal?.removeEventListener("abort", stopAll);
  }
  return results.slice(0, Math.min(items.length, stopAfter + 1));
}
