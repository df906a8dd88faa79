/**
 * A client of etcd's v3 JSON gateway (`POST /v3/kv/...`, keys and values base64) over Node's own
 * fetch. Every call resolves to what the history needs to know: ok with a value, a definite
 * refusal (`fail`: it did not happen), or an unknown outcome (`info`: it may have happened).
 */

export type Reply<T> = { type: "ok"; value: T } | { type: "fail" | "info"; error: string };

/** Errors etcd returns before anything is proposed: the request certainly had no effect. */
const DEFINITE_ERRORS = ["etcdserver: too many requests", "etcdserver: request is too large", "etcdserver: not capable", "etcdserver: no leader"];

/** A stored value and the revision that last changed it (0 when the key is absent). */
export interface Versioned {
  value: unknown;
  modRevision: number;
}

interface KeyValue {
  key?: string;
  value?: string;
  mod_revision?: string;
}

export class EtcdClient {
  constructor(
    readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async put(key: string, value: unknown): Promise<Reply<undefined>> {
    const reply = await this.call("/v3/kv/put", { key: encode(key), value: encode(JSON.stringify(value)) });
    return reply.type === "ok" ? { type: "ok", value: undefined } : reply;
  }

  /** One key; `serializable` answers from this member's own state (possibly stale) without a quorum. */
  async get(key: string, serializable: boolean): Promise<Reply<Versioned>> {
    const reply = await this.call("/v3/kv/range", { key: encode(key), serializable });
    if (reply.type !== "ok") return reply;
    const kv = (reply.value.kvs as KeyValue[] | undefined)?.[0];
    return { type: "ok", value: kv ? { value: decodeValue(kv), modRevision: Number(kv.mod_revision ?? 0) } : { value: null, modRevision: 0 } };
  }

  /** Every value under a prefix, in key order. */
  async getPrefix(prefix: string, serializable: boolean): Promise<Reply<unknown[]>> {
    const reply = await this.call("/v3/kv/range", { key: encode(prefix), range_end: encode(prefixEnd(prefix)), serializable });
    if (reply.type !== "ok") return reply;
    return { type: "ok", value: ((reply.value.kvs as KeyValue[] | undefined) ?? []).map(decodeValue) };
  }

  /** Sets `key` to `next` if its value is `expected`; ok(false) when the comparison failed. */
  async compareAndSet(key: string, expected: unknown, next: unknown): Promise<Reply<boolean>> {
    return this.txnPut(key, { target: "VALUE", value: encode(JSON.stringify(expected)) }, next);
  }

  /** Sets `key` to `next` if nothing changed it since `modRevision` (0: if it is still absent). */
  async putIfUnchanged(key: string, modRevision: number, next: unknown): Promise<Reply<boolean>> {
    return this.txnPut(key, { target: "MOD", mod_revision: String(modRevision) }, next);
  }

  /** This member's view: its id and the leader's id ("0" when it knows none). */
  async status(): Promise<Reply<{ memberId: string; leader: string }>> {
    const reply = await this.call("/v3/maintenance/status", {});
    if (reply.type !== "ok") return reply;
    const header = reply.value.header as { member_id?: string } | undefined;
    return { type: "ok", value: { memberId: header?.member_id ?? "0", leader: String(reply.value.leader ?? "0") } };
  }

  private async txnPut(key: string, comparison: Record<string, string>, next: unknown): Promise<Reply<boolean>> {
    const reply = await this.call("/v3/kv/txn", {
      compare: [{ key: encode(key), result: "EQUAL", ...comparison }],
      success: [{ request_put: { key: encode(key), value: encode(JSON.stringify(next)) } }],
    });
    // proto3 JSON leaves out false booleans: no "succeeded" means the comparison failed.
    return reply.type === "ok" ? { type: "ok", value: reply.value.succeeded === true } : reply;
  }

  private async call(path: string, body: object): Promise<Reply<Record<string, unknown>>> {
    let response: Response;
    try {
      response = await fetch(this.url + path, { method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      return networkFailure(error);
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = (await response.json()) as Record<string, unknown>;
    } catch (error) {
      return { type: "info", error: `unreadable response (HTTP ${response.status}): ${describe(error)}` };
    }
    const message = parsed.error ?? parsed.message;
    if (!response.ok || message !== undefined) {
      const text = typeof message === "string" ? message : `HTTP ${response.status}`;
      return { type: DEFINITE_ERRORS.includes(text) ? "fail" : "info", error: text };
    }
    return { type: "ok", value: parsed };
  }
}

/** A refused connection never carried the request; a timeout or a reset may have. */
function networkFailure(error: unknown): Reply<never> {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  if (code === "ECONNREFUSED") return { type: "fail", error: "connection refused" };
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) return { type: "info", error: "timeout" };
  return { type: "info", error: code ? `connection lost (${code})` : describe(error) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function encode(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

function decodeValue(kv: KeyValue): unknown {
  return JSON.parse(Buffer.from(kv.value ?? "", "base64").toString("utf8"));
}

/** The end of the key range holding every key that starts with `prefix` (etcd's convention). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
