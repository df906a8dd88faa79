import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake does with one request instead of answering it normally. */
export type Misbehaviour = { status: number; body: object } | "hang" | "reset";

/**
 * A stand-in for etcd's v3 JSON gateway: put, range (one key or a range), txn (compare VALUE or
 * MOD, EQUAL) and maintenance/status, over an in-memory store. `misbehave` can replace any answer.
 */
export class FakeEtcdGateway {
  readonly store = new Map<string, { value: string; modRevision: number }>();
  revision = 1;
  misbehave: ((path: string, body: Record<string, unknown>) => Misbehaviour | undefined) | undefined;
  /** Runs before a txn is applied, e.g. to simulate another client's write. */
  beforeTxn: (() => void) | undefined;
  private readonly server = createServer((req, res) => void this.handle(req, res));

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  put(key: string, value: unknown): void {
    this.store.set(b64(key), { value: b64(JSON.stringify(value)), modRevision: ++this.revision });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = "";
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as Record<string, unknown>;
    const path = req.url ?? "";
    const trouble = this.misbehave?.(path, body);
    if (trouble === "hang") return;
    if (trouble === "reset") return void req.socket.destroy();
    if (trouble) return void res.writeHead(trouble.status, { "content-type": "application/json" }).end(JSON.stringify(trouble.body));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(this.answer(path, body)));
  }

  private answer(path: string, body: Record<string, unknown>): object {
    const header = { member_id: "11", revision: String(this.revision) };
    if (path === "/v3/kv/put") {
      this.store.set(body.key as string, { value: body.value as string, modRevision: ++this.revision });
      return { header };
    }
    if (path === "/v3/kv/range") {
      const from = unb64(body.key as string);
      const to = body.range_end === undefined ? undefined : unb64(body.range_end as string);
      const kvs = [...this.store]
        .filter(([k]) => (to === undefined ? unb64(k) === from : unb64(k) >= from && unb64(k) < to))
        .sort(([a], [b]) => (unb64(a) < unb64(b) ? -1 : 1))
        .map(([key, { value, modRevision }]) => ({ key, value, mod_revision: String(modRevision) }));
      return kvs.length ? { header, kvs, count: String(kvs.length) } : { header };
    }
    if (path === "/v3/kv/txn") {
      this.beforeTxn?.();
      const [compare] = body.compare as Array<{ key: string; target: string; value?: string; mod_revision?: string }>;
      const current = this.store.get(compare!.key);
      const holds = compare!.target === "VALUE" ? current?.value === compare!.value : (current?.modRevision ?? 0) === Number(compare!.mod_revision);
      if (!holds) return { header };
      for (const op of body.success as Array<{ request_put: { key: string; value: string } }>) {
        this.store.set(op.request_put.key, { value: op.request_put.value, modRevision: ++this.revision });
      }
      return { header, succeeded: true };
    }
    if (path === "/v3/maintenance/status") return { header, leader: "11" };
    return { error: "not found", code: 5 };
  }
}

function b64(text: string): string {
  return Buffer.from(text).toString("base64");
}

function unb64(text: string): string {
  return Buffer.from(text, "base64").toString();
}
