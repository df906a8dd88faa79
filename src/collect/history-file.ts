/**
 * STOPGAP until src/recorder lands in main: the calls of its Recorder (invoke / complete per
 * actor, a new process id for a client slot after an info), each record written synchronously
 * so a crash loses at most the op in flight.
 */
import { closeSync, openSync, writeSync } from "node:fs";

export type CompletionType = "ok" | "fail" | "info";
type ExtraFields = Readonly<Record<string, unknown>>;

export class HistoryFile {
  private readonly fd: number;
  private readonly processOf: number[];
  private readonly open = new Map<number | string, string>();
  private readonly start = process.hrtime.bigint();

  constructor(path: string, private readonly clients: number) {
    this.fd = openSync(path, "w");
    this.processOf = Array.from({ length: clients }, (_, c) => c);
  }

  invoke(actor: number | string, f: string, value: unknown, time?: number, extra?: ExtraFields): void {
    this.open.set(actor, f);
    this.write({ type: "invoke", f, value, process: this.processFor(actor), time, ...extra });
  }

  complete(actor: number | string, type: CompletionType, value: unknown, time?: number, extra?: ExtraFields): void {
    const f = this.open.get(actor)!;
    this.open.delete(actor);
    this.write({ type, f, value, process: this.processFor(actor), time, ...extra });
    if (type === "info" && typeof actor === "number") this.processOf[actor]! += this.clients;
  }

  async flush(): Promise<void> {}

  async end(): Promise<void> {
    closeSync(this.fd);
  }

  private processFor(actor: number | string): number | string {
    return typeof actor === "number" ? this.processOf[actor]! : actor;
  }

  private write(record: Record<string, unknown>): void {
    const time = (record.time as number | undefined) ?? Number(process.hrtime.bigint() - this.start);
    writeSync(this.fd, JSON.stringify({ ...record, time }) + "\n");
  }
}
