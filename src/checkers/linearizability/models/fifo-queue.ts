import { opName, show, type Model } from "../model.ts";

/** A FIFO queue: enqueue x; dequeue returns the oldest element (nil when empty). Initially empty or --initial [..]. */
export const fifoQueueModel: Model<readonly unknown[]> = {
  name: "fifo-queue",
  description: "FIFO queue with enqueue/dequeue",
  ops: [
    { f: "enqueue", does: "x: appends x" },
    { f: "dequeue", does: "removes and returns the oldest element (nil when empty)" },
  ],
  requires: ["enqueue", "dequeue"],
  auto: false,
  init: (initial) => (Array.isArray(initial) ? initial : []),
  apply(queue, op) {
    if (opName(op.f) === "enqueue") return { next: [...queue, op.input ?? null] };
    if (opName(op.f) !== "dequeue") return undefined;
    return queue.length === 0 ? { next: queue, output: null } : { next: queue.slice(1), output: queue[0] };
  },
  key: (queue) => JSON.stringify(queue),
  describeState: (queue) => (queue.length ? `[${queue.map(show).join(", ")}]` : "empty"),
};
