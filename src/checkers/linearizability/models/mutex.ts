import { opName, type Model } from "../model.ts";

/** A lock: acquire succeeds only when free, release only when held. Initially free (--initial true: held). */
export const mutexModel: Model<boolean> = {
  name: "mutex",
  description: "lock with acquire/release",
  ops: [
    { f: "acquire", does: "takes the lock when free" },
    { f: "release", does: "frees it when held" },
  ],
  requires: ["acquire", "release"],
  auto: true,
  init: (initial) => initial === true,
  apply(held, op) {
    const f = opName(op.f);
    if (f === "acquire") return held ? undefined : { next: true };
    if (f === "release") return held ? { next: false } : undefined;
    return undefined;
  },
  key: (held) => (held ? 1 : 0),
  describeState: (held) => (held ? "held" : "free"),
};
