import { opName, sameValue, show, unsupported, type Model } from "../model.ts";

/** A FIFO queue: enqueue x; dequeue returns the oldest element (nil when empty). Initially empty or --initial [..]. */
export const fifoQueueModel: Model<readonly unknown[]> = {
  name: "fifo-queue",
  description: "FIFO queue with enqueue/dequeue",
  init: (initial) => (Array.isArray(initial) ? initial : []),
  step(queue, op) {
    if (opName(op.f) === "enqueue") return [...queue, op.input ?? null];
    if (opName(op.f) !== "dequeue") return undefined;
    if (queue.length === 0) return op.outcome === "ok" && op.output == null ? queue : undefined;
    return op.outcome === "info" || sameValue(op.output, queue[0]) ? queue.slice(1) : undefined;
  },
  key: (queue) => JSON.stringify(queue),
  describeState: (queue) => (queue.length ? `[${queue.map(show).join(", ")}]` : "empty"),
  reject: (op) => (["enqueue", "dequeue"].includes(opName(op.f)) ? undefined : unsupported(op, "enqueue and dequeue")),
};
