import { Redis } from "ioredis";
import { UsageError } from "../history/errors.ts";

/** What queue-runner.ts (the submitter) and queue-worker.ts (`hindsight worker`) agree on. */
export const QUEUE_NAME = "hindsight-tasks";

/** A job's data: the task as codec.ts text, and whose it is (see submitterKey). */
export interface JobData {
  submitter: string;
  task: string;
}

/**
 * A submitter keeps this key alive while it runs (SUBMITTER_TTL_MS, refreshed every third of it);
 * a worker skips the jobs of a submitter whose key has expired: nobody waits for them.
 */
export function submitterKey(submitter: string): string {
  return `hindsight:submitter:${submitter}`;
}
export const SUBMITTER_TTL_MS = 15_000;

/** How long to wait for Redis before giving up (exit 3 rather than a hang). */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * A connected client, or a UsageError saying Redis cannot be reached. Blocking clients (BullMQ's
 * workers) need `maxRetriesPerRequest: null`; a failed first connection is not retried.
 */
export async function connectRedis(url: string, blocking = false): Promise<Redis> {
  let client: Redis;
  try {
    // The first connection gets one try: unreachable means exit 3 now, not retries for minutes.
    client = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: blocking ? null : 3, retryStrategy: () => null });
  } catch (error) {
    throw new UsageError(`--redis ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A lost connection is reported by the commands that fail; the first one's cause (ECONNREFUSED, …) is kept for the message.
  let cause: Error | undefined;
  client.on("error", (error: Error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new UsageError(`--redis ${url}: cannot reach Redis (${(cause ?? (error instanceof Error ? error : new Error(String(error)))).message})`);
  }
  // Connected once, a lost connection is retried for about 40 s before commands fail.
  client.options.retryStrategy = (times) => (times > 20 ? null : Math.min(times * 200, 2_000));
  return client;
}
