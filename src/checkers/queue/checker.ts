import { noOptions } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { checkQueue, queueAppliesBecause, QueueFold } from "./queue.ts";
import { queueSection, totalQueueSection } from "./section.ts";
import { checkTotalQueue, totalQueueAppliesBecause, TotalQueueFold } from "./total-queue.ts";

export const queueChecker = describeChecker({
  name: "queue",
  description: "Jepsen's queue (unordered): every dequeued element was put in by a non-failed enqueue invoked before the dequeue completed, each enqueue dequeued at most once",
  appliesBecause: queueAppliesBecause,
  options: noOptions,
  check: (history) => checkQueue(history),
  fold: () => new QueueFold(),
  section: queueSection,
});

export const totalQueueChecker = describeChecker({
  name: "total-queue",
  description: "Jepsen's total-queue: every acknowledged enqueue dequeued (drains expanded), nothing dequeued that was never enqueued; duplicates and recoveries counted",
  appliesBecause: totalQueueAppliesBecause,
  options: noOptions,
  check: (history) => checkTotalQueue(history),
  fold: () => new TotalQueueFold(),
  section: totalQueueSection,
});
