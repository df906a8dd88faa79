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

/**
 * Writing a result failed (full disk, read-only or missing folder): exit 4 with the output path
 * named, never blamed on the input.
 */
export class OutputError extends Error {
  readonly path: string;
  /** The system error behind it. */
  readonly reason: unknown;
  constructor(path: string, reason: unknown) {
    super(`${path}: ${systemReason(reason)}`);
    this.name = "OutputError";
    this.path = path;
    this.reason = reason;
  }
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file or folder",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "is a folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EEXIST: "already exists",
  ENOTEMPTY: "a folder that is not empty is in the way",
  EMFILE: "too many open files",
  ENAMETOOLONG: "name too long",
  ELOOP: "too many symbolic links",
  EIO: "input/output error",
};

/** Why a system call failed, in words (no errno jargon, no stack); other errors keep their message. */
export function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string" && REASONS[code] !== undefined) return `${REASONS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
