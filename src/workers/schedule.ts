import type { Runner } from "./runner.ts";

/** How long work runs inline before workers are started for what is left, unless its estimated cost asked for them at once. */
export const INLINE_MS = 500;

export interface Work<Item, Result> {
  items: readonly Item[];
  /** Runs an item on the caller's thread; absent when it must not (under --memory-limit only workers are capped). */
  inline?: (item: Item) => Result | Promise<Result>;
  /** Runs an item on worker `lane` of the runner; a lost run must come back as a Result too. */
  remote(lane: number, item: Item, signal: AbortSignal): Promise<Result>;
  /** Start workers after this many ms of inline work with items left (0: at once; Infinity: never). */
  workersAfterMs: number;
  /** A result that settles the whole: later items are not run (those running are stopped). */
  decisive?(result: Result): boolean;
  /** Called as each result arrives, in whatever order they finish. */
  onResult?(index: number, result: Result): void;
  /** Aborting stops the workers and leaves the items not yet done without a result. */
  signal?: AbortSignal;
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

  const inlineLane = async (inline: (item: Item) => Result | Promise<Result>): Promise<void> => {
    for (let i = take(); i !== undefined; i = take()) {
      record(i, await inline(items[i]!));
      // Lets worker messages and the start-up timer in between two inline items.
      await new Promise((resolve) => setImmediate(resolve));
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
  const workersLater = async (): Promise<void> => {
    if (work.workersAfterMs === Infinity) return;
    if (work.workersAfterMs > 0 && work.inline) {
      let timer: NodeJS.Timeout | undefined;
      const due = await Promise.race([new Promise<boolean>((resolve) => (timer = setTimeout(resolve, work.workersAfterMs, true))), exhausted.then(() => false)]);
      clearTimeout(timer);
      if (!due) return;
    }
    await Promise.all(Array.from({ length: runner.size }, (_, lane) => workerLane(lane)));
  };

  try {
    await Promise.all([work.inline ? inlineLane(work.inline) : undefined, workersLater()]);
  } finally {
    signal?.removeEventListener("abort", stopAll);
  }
  return results.slice(0, Math.min(items.length, stopAfter + 1));
}
