/**
 * Writes a history as it happens, in Hindsight's canonical NDJSON (docs/formats.md), following
 * Jepsen's rules so the result always pairs: one open operation per process, completions only
 * for open operations, times in nanoseconds that never go backwards, and a fresh process id for
 * a client whose operation ended in `info` (its old process may still be acting).
 *
 * Lines are built by hand and buffered; callers that produce ops in a tight loop check `full`
 * and `await flush()`, which waits for the sink (backpressure) so memory stays flat.
 */
import type { OpType } from "../history/op.ts";
import type { ChunkSink } from "./sink.ts";

export type Completion = Exclude<OpType, "invoke">;

/** Extra fields written after the standard ones, e.g. `{ node: "n1" }` or `{ error: "timeout" }`; never mutated once passed (their text is cached per object). */
export type ExtraFields = Readonly<Record<string, unknown>>;

const FLUSH_AT = 1 << 18;

export class Recorder {
  /** Records written so far (including buffered ones): the next record's index. */
  records = 0;
  private buffer = "";
  private lastTime = 0;
  private readonly processOf: number[];
  private readonly open = new Map<number | string, string>();
  private readonly quotedF = new Map<string, string>();
  private readonly extraText = new WeakMap<ExtraFields, string>();

  /**
   * @param clients logical client slots 0..clients−1; slot c starts as process c and moves to
   *   c + clients, c + 2·clients, … after each `info`.
   * @param clock nanoseconds since the test began, used when a call gives no time.
   */
  constructor(
    private readonly sink: ChunkSink,
    private readonly clients: number,
    private readonly clock: () => number = hrtimeClock(),
  ) {
    this.processOf = Array.from({ length: clients }, (_, c) => c);
  }

  /** The process id client slot `client` currently writes as. */
  processFor(client: number): number {
    return this.processOf[client]!;
  }

  /** Records an invocation by a client slot (number) or a named actor such as "nemesis"; returns its index. */
  invoke(actor: number | string, f: string, value: unknown, time?: number, extra?: ExtraFields): number {
    if (this.open.has(actor)) throw new Error(`${String(actor)} invokes ${f} while its ${this.open.get(actor)} is still open`);
    this.open.set(actor, f);
    return this.line("invoke", f, actor, value, time, extra);
  }

  /** Completes the actor's open operation; `info` moves a client slot to a new process id afterwards. */
  complete(actor: number | string, type: Completion, value: unknown, time?: number, extra?: ExtraFields): number {
    const f = this.open.get(actor);
    if (f === undefined) throw new Error(`${String(actor)} completes (${type}) with no open operation`);
    this.open.delete(actor);
    const index = this.line(type, f, actor, value, time, extra);
    if (type === "info" && typeof actor === "number") this.processOf[actor]! += this.clients;
    return index;
  }

  /** True when enough is buffered that the caller should `await flush()`. */
  get full(): boolean {
    return this.buffer.length >= FLUSH_AT;
  }

  /** Hands the buffer to the sink and waits until it can take more. */
  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = "";
    await this.sink.write(chunk);
  }

  /** Flushes and closes the sink. */
  async end(): Promise<void> {
    await this.flush();
    await this.sink.end();
  }

  private line(type: OpType, f: string, actor: number | string, value: unknown, time: number | undefined, extra: ExtraFields | undefined): number {
    const t = Math.max(this.lastTime, Math.round(time ?? this.clock()));
    this.lastTime = t;
    const process = typeof actor === "number" ? this.processOf[actor]! : JSON.stringify(actor);
    const valueField = value === undefined ? "" : `,"value":${encode(value)}`;
    const extraFields = extra === undefined ? "" : this.encodedExtra(extra);
    // one template per line: cheaper than growing the line piece by piece
    this.buffer += `{"type":"${type}","f":${this.quoted(f)}${valueField},"process":${process},"time":${t}${extraFields}}\n`;
    return this.records++;
  }

  /** Callers reuse extra-field objects (one per node, one per error), so their text is cached per object. */
  private encodedExtra(extra: ExtraFields): string {
    let text = this.extraText.get(extra);
    if (text === undefined) {
      text = "";
      for (const key in extra) if (extra[key] !== undefined) text += `,${JSON.stringify(key)}:${encode(extra[key])}`;
      this.extraText.set(extra, text);
    }
    return text;
  }

  private quoted(f: string): string {
    let q = this.quotedF.get(f);
    if (q === undefined) {
      q = JSON.stringify(f);
      this.quotedF.set(f, q);
    }
    return q;
  }
}

/** JSON for a value, with the common cases (numbers, null) spared a JSON.stringify call. */
function encode(value: unknown): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (value === null) return "null";
  return JSON.stringify(value) ?? "null";
}

function hrtimeClock(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start);
}
