import { casReadOnly, casRegisterApply, casRegisterModel, rejectCasValue } from "./cas-register.ts";
import { perKey } from "./keyed.ts";

/** A map of cas-registers, one per key (the op's `key`); checked key by key. */
export const kvModel = perKey({
  name: "kv",
  description: "key → cas-register (read/write/cas per key)",
  ops: casRegisterModel.ops,
  requires: ["write", "cas"],
  auto: true,
  defaultInitial: null,
  apply: casRegisterApply,
  readOnly: casReadOnly,
  rejectValue: rejectCasValue,
  forgetNilReads: casRegisterModel.forgetNilReads,
  failedObserves: casRegisterModel.failedObserves,
  register: true,
});
