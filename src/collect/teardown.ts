/**
 * Undo actions for everything a collection starts or changes, run newest first exactly once:
 * on success, on error, and on SIGINT/SIGTERM/SIGHUP.
 */
export type Undo = () => Promise<void> | void;

export class Teardown {
  private readonly undos: Array<{ what: string; undo: Undo }> = [];
  private running: Promise<unknown[]> | undefined;

  /** Registers an undo; `what` names it in error messages. */
  add(what: string, undo: Undo): void {
    if (this.running) throw new Error(`teardown already started; cannot add "${what}"`);
    this.undos.push({ what, undo });
  }

  /** Runs every undo newest first, continuing past failures; resolves to the failures. Idempotent. */
  run(): Promise<unknown[]> {
    this.running ??= (async () => {
      const failures: unknown[] = [];
      for (const { what, undo } of [...this.undos].reverse()) {
        try {
          await undo();
        } catch (error) {
          failures.push(new Error(`teardown: ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
        }
      }
      return failures;
    })();
    return this.running;
  }
}

export const TEARDOWN_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** The process-like object signal handling needs (tests pass a fake). */
export interface SignalTarget {
  on(signal: string, listener: () => void): unknown;
  off(signal: string, listener: () => void): unknown;
  exit(code: number): void;
}

/**
 * Until `release` is called, a signal runs the teardown and then exits with 128 + the signal
 * number, as a shell expects of a process killed by it. A second signal during teardown is
 * ignored: stopping halfway would leave rules behind.
 */
export function teardownOnSignals(teardown: Teardown, onSignal: (signal: string, failures: unknown[]) => void, target: SignalTarget = process): () => void {
  const codes: Record<(typeof TEARDOWN_SIGNALS)[number], number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
  const listeners = TEARDOWN_SIGNALS.map((signal) => {
    const listener = (): void => {
      void teardown.run().then((failures) => {
        onSignal(signal, failures);
        target.exit(failures.length > 0 ? 3 : codes[signal]);
      });
    };
    target.on(signal, listener);
    return { signal, listener };
  });
  return () => {
    for (const { signal, listener } of listeners) target.off(signal, listener);
  };
}
