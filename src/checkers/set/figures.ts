/** The 2013 talk's figures of a set history, shared by the checker and the printed-summary comparison. */
export interface SetCounts {
  attempted: number;
  acknowledged: number;
  /** |R|: elements in the final read (the 2013 "survivors"). */
  read: number;
  /** A∖R: acknowledged, completed before the read began, and missing (the talk's false positives). */
  lost: number;
  /** (R∩T)∖A: not acknowledged yet present (the talk's false negatives). */
  recovered: number;
  /** R∖T: never attempted. */
  unexpected: number;
  /** Adds that failed (definitely not performed) yet were read: counted in recovered too. */
  failedPresent: number;
}

/** Divided by |T| (ack) and by |A| (loss, unackedPresent), as in 2013; null when the divisor is 0 or nothing was read. */
export interface SetRates {
  ack: number | null;
  loss: number | null;
  unackedPresent: number | null;
}
