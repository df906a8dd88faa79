import { opName, unsupported, type Model } from "../model.ts";

/** A lock: acquire succeeds only when free, release only when held. Initially free (--initial true: held). */
export const mutexModel: Model<boolean> = {
  name: "mutex",
  description: "lock with acquire/release",
  init: (initial) => initial === true,
  step(held, op) {
    const f = opName(op.f);
    if (f === "acquire") return held ? undefined : true;
    if (f === "release") return held ? false : undefined;
    return undefined;
  },
  key: (held) => (held ? 1 : 0),
  describeState: (held) => (held ? "held" : "free"),
  reject: (op) => (["acquire", "release"].includes(opName(op.f)) ? undefined : unsupported(op, "acquire and release")),
};
