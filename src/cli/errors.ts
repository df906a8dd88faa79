import { InputError, OutputError, UsageError, systemReason } from "../history/errors.ts";
import { cutText } from "../history/show.ts";

/** The exit codes, documented in README and --help. */
export const EXIT = { valid: 0, invalid: 1, unknown: 2, error: 3, output: 4, interrupted: 130 } as const;

export const EXIT_HELP = `
Exit codes:
  0  every history is valid
  1  some history is invalid
  2  some history is unknown (a search was cut short, input skipped) and none is invalid
  3  usage error, or a file could not be read
  4  an output could not be written (the verdicts were still printed)
  130 interrupted (Ctrl-C)`;

/** An error as the user sees it: one line (a stack only for bugs), and the exit code it means. */
export interface Explained {
  /** Undefined: nothing to say (stdout was closed by the reader). */
  message: string | undefined;
  code: number;
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

/** One error path for every command: `hindsight: WHAT: WHY`. */
export function explain(error: unknown): Explained {
  if (error instanceof OutputError) return { message: `hindsight: cannot write ${error.message}`, code: EXIT.output };
  if (error instanceof InputError) return { message: `hindsight: ${cutText(error.toString())}`, code: EXIT.error };
  if (error instanceof UsageError) return { message: `hindsight: ${error.message}`, code: EXIT.error };
  if (isSystemError(error)) {
    if (error.code === "EPIPE") return { message: undefined, code: EXIT.valid };
    // Outputs are wrapped in OutputError where they are written, so what is left was being read.
    if (error.path !== undefined) return { message: `hindsight: ${error.path}: ${systemReason(error)}`, code: EXIT.error };
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { message: `hindsight: internal error (please report it):\n${detail}`, code: EXIT.error };
}
