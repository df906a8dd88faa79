import { deadlineOptions } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { checkQueue, queueAppliesBecause, QueueFold } from "./queue.ts";
import { queueSection, totalQueueSection } from "./section.ts";
import { checkTotalQueue, totalQueueAppliesBecause, TotalQueueFold } from "./total-queue.ts";

export const queueChecker = describeChecker({
  name: "queue",
  description: "Jepsen's queue (unordered): every dequeued element was put in by a non-failed enqueue invoked before the dequeue completed, each enqueue dequeued at most once",
  appliesBecause: queueAppliesBecause,
  options: deadlineOptions,
  check: (history, options) => checkQueue(history, options),
  fold: (options) => new QueueFold(options),
  section: queueSection,
});

export const totalQueueChecker = describeChecker({
  name: "total-queue",
  description: "Jepsen's total-queue: every acknowledged enqueue dequeued (drains expanded), nothing dequeued that was never enqueued; duplicates and recoveries counted",
  appliesBecause: totalQueueAppliesBecause,
  options: deadlineOptions,
  check: (history, options) => checkTotalQueue(history, options),
  fold: (options) => new TotalQueueFold(options),
  section: totalQueueSection,
});
