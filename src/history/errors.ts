/** Errors in the user's input (as opposed to bugs): reported as `FILE:LINE:COL: message`, exit 3. */

export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

export class InputError extends Error {
  readonly position: SourcePosition;
  constructor(position: SourcePosition, message: string) {
    super(message);
    this.name = "InputError";
    this.position = position;
  }
  /** The message with its location, as editors and terminals link it. */
  override toString(): string {
    return `${formatPosition(this.position)}: ${this.message}`;
  }
}

/** A command-line usage error: exit 3, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function formatPosition(p: SourcePosition): string {
  let s = p.file;
  if (p.line !== undefined) s += `:${p.line}`;
  if (p.line !== undefined && p.column !== undefined) s += `:${p.column}`;
  return s;
}

/** A record skipped in lenient mode, kept so the verdict can say what was skipped and where. */
export interface SkippedRecord {
  line: number | undefined;
  column: number | undefined;
  reason: string;
}
