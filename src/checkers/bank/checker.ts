import { UsageError } from "../../history/errors.ts";
import type { Budget, FlagText } from "../checker.ts";
import { describeChecker } from "../descriptor.ts";
import { bankAppliesBecause, BankFold, checkBank, type BankOptions } from "./bank.ts";
import { bankSection } from "./section.ts";

/** --accounts 0,1,2 · --total-amount 100 · --negative-balances (a switch: its text is "true"). */
export function bankOptions(flags: FlagText, budget: Budget = {}): BankOptions {
  const options: BankOptions = budget.deadline === undefined ? {} : { deadline: budget.deadline };
  if (flags.accounts !== undefined) {
    const accounts = flags.accounts.split(",").map((a) => a.trim());
    if (accounts.some((a) => a === "")) throw new UsageError(`--accounts ${flags.accounts}: expected a comma-separated list of account names, e.g. 0,1,2`);
    options.accounts = accounts;
  }
  if (flags.totalAmount !== undefined) {
    const total = Number(flags.totalAmount);
    if (flags.totalAmount.trim() === "" || !Number.isFinite(total)) throw new UsageError(`--total-amount ${flags.totalAmount}: expected a number`);
    options.totalAmount = total;
  }
  if (flags.negativeBalances !== undefined) {
    if (flags.negativeBalances !== "true" && flags.negativeBalances !== "false") throw new UsageError(`--negative-balances takes no value (got ${flags.negativeBalances})`);
    options.negativeBalances = flags.negativeBalances === "true";
  }
  return options;
}

export const bankChecker = describeChecker({
  name: "bank",
  description: "Jepsen's bank: every read of all accounts shows the known accounts, no nil balance, the expected total and (unless allowed) no negative balance",
  appliesBecause: bankAppliesBecause,
  flags: [
    { flags: "--accounts <list>", description: "bank: the account names, comma-separated (default: the first ok read's, as elle-cli does)" },
    { flags: "--total-amount <n>", description: "bank: what every read must total (default: the first ok read's total)" },
    { flags: "--negative-balances", description: "bank: a negative balance is no error (Jepsen's :negative-balances? true)" },
  ],
  options: bankOptions,
  check: (history, options) => checkBank(history, options),
  fold: (options) => new BankFold(options),
  section: bankSection,
});
