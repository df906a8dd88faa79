import { searchComponent, type ComponentSearch, type ComponentTask } from "../checkers/txn/cycles.ts";

/** The piscina entry point for one strongly connected component's cycle search. */
export default (task: ComponentTask): ComponentSearch => searchComponent(task);
