/**
 * Jepsen's bank checker (jepsen.tests.bank): transfers move money between accounts, so every ok
 * read of all balances must show the known accounts, no nil balance, the same total, and (unless
 * negative balances are allowed) no negative balance. Each read is judged on its own, in one pass.
 */
import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import type { NamedResult, OperationFold, Validity } from "../checker.ts";
import { foldHistory } from "../fold.ts";
import { OperationSample } from "../../history/sample.ts";
import { MAX_ELEMENTS_KEPT } from "../set/elements.ts";

export interface BankOptions extends DeadlineOptions {
  /** The accounts a read may show (as their JSON object keys); default: the first ok read's. */
  accounts?: readonly string[];
  /** What every read must sum to; default: the first ok read's total. */
  totalAmount?: number;
  /** Jepsen's :negative-balances? — when true a negative balance is no error. */
  negativeBalances?: boolean;
}

/** Jepsen's error types, in the order it tests them: a read shows only the first that applies. */
export const BANK_ERROR_TYPES = ["unexpected-key", "nil-balance", "wrong-total", "negative-value"] as const;
export type BankErrorType = (typeof BANK_ERROR_TYPES)[number];

export interface BankError {
  type: BankErrorType;
  /** The read: operation id, completion position, time (ns), process and node. */
  readId: number;
  index: number;
  time: number | undefined;
  process: number | string;
  node?: string;
  /** Sum of the read's numeric balances. */
  total: number;
  /** unexpected-key: accounts outside the known set; nil-balance: accounts read as nil. */
  accounts?: string[];
  /** negative-value: the negative balances. */
  negative?: number[];
  /** Jepsen's err-badness: larger is worse. */
  badness: number;
}

export interface BankErrorSummary {
  count: number;
  first: BankError;
  worst: BankError;
  last: BankError;
  /** wrong-total only: the reads with the lowest and highest totals. */
  lowest?: BankError;
  highest?: BankError;
}

/** One judged read, for the totals chart. */
export interface BankReadPoint {
  readId: number;
  index: number;
  time: number | undefined;
  node?: string;
  total: number;
  error?: BankErrorType;
}

export interface BankFigures {
  /** Where the accounts and the total came from: options, or the first ok read (elle-cli's way). */
  accountsFrom: "option" | "first-read" | "none";
  totalFrom: "option" | "first-read" | "none";
  accounts: string[];
  totalAmount: number | null;
  negativeBalancesAllowed: boolean;
  reads: number;
  transfers: number;
  errorCount: number;
  /** Lowest and highest total over all judged reads. */
  lowestTotal: number | null;
  highestTotal: number | null;
}

export interface BankEvidence {
  errors: Partial<Record<BankErrorType, BankErrorSummary>>;
  firstError: BankError | null;
  /** Every judged read's total (an evenly spaced sample past 20k reads), in completion order. */
  totals: BankReadPoint[];
  /** Ok reads whose value is not a map of balances (they cannot be judged). */
  unjudgedIds: number[];
}

export type BankResult = NamedResult<"bank", BankEvidence, BankFigures>;


const BANK_FS = new Set(["read", "transfer"]);

export function bankAppliesBecause(history: History): string | undefined {
  let maps = 0;
  let transfers = 0;
  for (const o of history.operations) {
    if (!isClientProcess(o.process)) continue;
    if (!BANK_FS.has(o.f)) return undefined;
    if (o.f === "transfer") {
      if (!isTransfer(o.input)) return undefined;
      transfers++;
    } else if (o.outcome === "ok") {
      if (balancesOf(o.output) === undefined) return undefined;
      maps++;
    }
  }
  if (maps === 0) return undefined;
  return transfers > 0 ? `transfers {from, to, amount} and ${maps} read(s) of account balances` : `${maps} read(s) returning account → balance maps`;
}

function isTransfer(value: unknown): boolean {
  return typeof value === "object" && value !== null && "from" in value && "to" in value && "amount" in value;
}

/** A read's balances, or undefined when its value is not an object of numbers and nils. */
function balancesOf(value: unknown): [string, number | null][] | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [, balance] of entries) if (balance !== null && typeof balance !== "number") return undefined;
  return entries as [string, number | null][];
}

function totalOf(balances: readonly [string, number | null][]): number {
  return balances.reduce((s, [, b]) => s + (b ?? 0), 0);
}

function whereRead(o: Operation): Pick<BankError, "readId" | "index" | "time" | "process" | "node"> {
  return { readId: o.id, index: o.completeIndex ?? o.invokeIndex, time: o.retTime, process: o.process, ...(o.invoke.node === undefined ? {} : { node: o.invoke.node }) };
}

export function checkBank(history: History, options: BankOptions = {}): BankResult {
  return foldHistory(new BankFold(options), history);
}

/** Judges one read as Jepsen's check-op does: the first error type that applies, or none. */
export function judgeBankRead(balances: readonly [string, number | null][], accounts: ReadonlySet<string>, total: number, negativeAllowed: boolean): Omit<BankError, "readId" | "index" | "time" | "process" | "node"> | undefined {
  const sum = totalOf(balances);
  const unexpected = balances.filter(([account]) => !accounts.has(account)).map(([account]) => account);
  if (unexpected.length > 0) return { type: "unexpected-key", total: sum, accounts: unexpected, badness: unexpected.length };
  const nils = balances.filter(([, b]) => b === null).map(([account]) => account);
  if (nils.length > 0) return { type: "nil-balance", total: sum, accounts: nils, badness: nils.length };
  if (sum !== total) return { type: "wrong-total", total: sum, badness: total === 0 ? Math.abs(sum) : Math.abs((sum - total) / total) };
  const negative = balances.flatMap(([, b]) => (b !== null && b < 0 ? [b] : []));
  if (!negativeAllowed && negative.length > 0) return { type: "negative-value", total: sum, negative, badness: -negative.reduce((s, b) => s + b, 0) };
  return undefined;
}

/**
 * Reads arrive in completion order, which is history order for their ok records: the first one
 * seen is the first ok read, the one elle-cli takes the accounts and total from.
 */
export class BankFold implements OperationFold<BankResult> {
  private accounts: Set<string> | undefined;
  private total: number | undefined;
  private readonly accountsGiven: boolean;
  private readonly totalGiven: boolean;
  private readonly negativeAllowed: boolean;
  private readonly errors = new Map<BankErrorType, BankErrorSummary>();
  private firstError: BankError | null = null;
  /** Judged reads, an evenly spaced sample: the totals chart re-reads them at the end. */
  private readonly sampled = new OperationSample(MAX_ELEMENTS_KEPT);
  private readonly unjudged: number[] = [];
  private reads = 0;
  private transfers = 0;
  private lowest = Infinity;
  private highest = -Infinity;
  private readonly watch: DeadlineWatch;

  constructor(options: BankOptions) {
    this.watch = new DeadlineWatch(options.deadline, "judging the bank's reads", "operation");
    if (options.accounts) this.accounts = new Set(options.accounts);
    this.total = options.totalAmount;
    this.accountsGiven = options.accounts !== undefined;
    this.totalGiven = options.totalAmount !== undefined;
    this.negativeAllowed = options.negativeBalances ?? false;
  }

  add(o: Operation): void {
    this.watch.tick();
    if (!isClientProcess(o.process)) return;
    if (o.f === "transfer") this.transfers++;
    if (o.f !== "read" || o.outcome !== "ok") return;
    const balances = balancesOf(o.output);
    if (balances === undefined) {
      this.unjudged.push(o.id);
      return;
    }
    this.accounts ??= new Set(balances.map(([account]) => account));
    this.total ??= totalOf(balances);
    this.reads++;
    const judged = judgeBankRead(balances, this.accounts, this.total, this.negativeAllowed);
    const sum = totalOf(balances);
    this.lowest = Math.min(this.lowest, sum);
    this.highest = Math.max(this.highest, sum);
    this.sampled.add(o);
    if (judged) this.record({ ...whereRead(o), ...judged });
  }

  private point(o: Operation): BankReadPoint {
    const balances = balancesOf(o.output)!;
    const judged = judgeBankRead(balances, this.accounts!, this.total!, this.negativeAllowed);
    const { readId, index, time, node } = whereRead(o);
    return { readId, index, time, ...(node === undefined ? {} : { node }), total: totalOf(balances), ...(judged ? { error: judged.type } : {}) };
  }

  private record(error: BankError): void {
    this.firstError ??= error;
    const summary = this.errors.get(error.type);
    if (!summary) {
      this.errors.set(error.type, { count: 1, first: error, worst: error, last: error, ...(error.type === "wrong-total" ? { lowest: error, highest: error } : {}) });
      return;
    }
    summary.count++;
    summary.last = error;
    if (error.badness > summary.worst.badness) summary.worst = error;
    if (summary.lowest && error.total < summary.lowest.total) summary.lowest = error;
    if (summary.highest && error.total > summary.highest.total) summary.highest = error;
  }

  finish(): BankResult {
    const errors: Partial<Record<BankErrorType, BankErrorSummary>> = {};
    for (const type of BANK_ERROR_TYPES) {
      const summary = this.errors.get(type);
      if (summary) errors[type] = summary;
    }
    const errorCount = [...this.errors.values()].reduce((s, e) => s + e.count, 0);
    const stats: BankFigures = {
      accountsFrom: sourceOf(this.accounts, this.accountsGiven),
      totalFrom: sourceOf(this.total, this.totalGiven),
      accounts: [...(this.accounts ?? [])].sort(compareAccounts),
      totalAmount: this.total ?? null,
      negativeBalancesAllowed: this.negativeAllowed,
      reads: this.reads,
      transfers: this.transfers,
      errorCount,
      lowestTotal: this.reads > 0 ? this.lowest : null,
      highestTotal: this.reads > 0 ? this.highest : null,
    };
    const evidence: BankEvidence = { errors, firstError: this.firstError, totals: this.sampled.operations().map((o) => this.point(o)), unjudgedIds: this.unjudged.sort((a, b) => a - b) };
    const source = sourceText(stats);
    let valid: Validity;
    let summary: string;
    if (errorCount > 0) {
      valid = false;
      const parts = BANK_ERROR_TYPES.flatMap((type) => (errors[type] ? [`${errors[type].count} ${type}`] : []));
      summary = `${errorCount} of ${this.reads} reads wrong (${parts.join(", ")}); first: read ${this.firstError!.readId}${this.firstError!.type === "wrong-total" ? ` totalling ${this.firstError!.total}, not ${stats.totalAmount}` : ` (${this.firstError!.type})`}`;
    } else if (this.reads === 0) {
      valid = "unknown";
      summary = `No ok read of the balances${this.unjudged.length ? ` (${this.unjudged.length} ok reads are not account → balance maps)` : ""}: nothing to check the ${this.transfers} transfers against`;
    } else if (this.unjudged.length > 0) {
      valid = "unknown";
      summary = `All ${this.reads} reads of balances are right, but ${this.unjudged.length} ok reads are not account → balance maps and were not judged`;
    } else {
      valid = true;
      summary = `${this.reads === 1 ? "The 1 read shows" : `All ${this.reads} reads show`} the ${stats.accounts.length} accounts totalling ${stats.totalAmount}${this.negativeAllowed ? "" : " with no negative balance"}`;
    }
    const result: BankResult = { checker: "bank", valid, summary: `${summary} (Jepsen's bank checker; ${source}).`, evidence, stats };
    if (valid === false) result.focus = [...new Set(Object.values(errors).flatMap((e) => [e.first.readId, e.worst.readId, e.last.readId]))].sort((a, b) => a - b);
    return result;
  }
}

function sourceOf(value: unknown, given: boolean): BankFigures["accountsFrom"] {
  return given ? "option" : value === undefined ? "none" : "first-read";
}

function sourceText(stats: BankFigures): string {
  if (stats.accountsFrom === "none") return "no read to take accounts from";
  const from = (what: string, source: BankFigures["accountsFrom"]): string => `${what} ${source === "option" ? "from the options" : "from the first ok read, as elle-cli does"}`;
  return stats.accountsFrom === stats.totalFrom ? from("accounts and total", stats.accountsFrom) : `${from("accounts", stats.accountsFrom)}, ${from("total", stats.totalFrom)}`;
}

/** Integer account names in numeric order, then the rest. */
function compareAccounts(a: string, b: string): number {
  const x = INTEGER.test(a);
  const y = INTEGER.test(b);
  if (x && y) return Number(a) - Number(b);
  if (x !== y) return x ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const INTEGER = /^-?\d+$/;
