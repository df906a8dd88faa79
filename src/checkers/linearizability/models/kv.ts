import { casRegisterStep, rejectCasRegisterOp } from "./cas-register.ts";
import { perKey } from "./keyed.ts";
import { isRead } from "../model.ts";

/** A map of cas-registers, one per key (the op's `key`); checked key by key. */
export const kvModel = perKey({
  name: "kv",
  description: "key → cas-register (read/write/cas per key)",
  defaultInitial: null,
  step: casRegisterStep,
  reject: rejectCasRegisterOp,
  register: true,
  readOnly: isRead,
});
