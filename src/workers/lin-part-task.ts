import { checkPart, type PartResult, type PartTask } from "../checkers/linearizability/part.ts";

/** The piscina entry point for one linearizability part. */
export default (task: PartTask): PartResult => checkPart(task);
