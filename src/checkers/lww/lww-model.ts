/**
 * What last-write-wins ties to expect by chance: Poisson arrivals against a timestamp clock that
 * ticks every `resolution` seconds. Derivation in docs/lww.md.
 */

/**
 * Probability that the next write after a given one, arriving after an exponential gap of rate
 * `rate` (per second), carries the same timestamp: the first write falls uniformly within its tick,
 * so P = 1 − (1 − e^{−rate·resolution}) / (rate·resolution), ≈ rate·resolution / 2.
 */
export function sameTickProbability(rate: number, resolution: number): number {
  const x = rate * resolution;
  if (x === 0) return 0;
  return 1 + Math.expm1(-x) / x;
}

/**
 * Expected visible ties on one cell over `seconds`: ties arise at rate·P(same tick) per second; one
 * is visible when a read (rate `readRate`) lands before the next write, taken as a read within
 * the mean gap between writes, 1/rate (the talk's reckoning): P = 1 − e^{−readRate/rate}.
 */
export function expectedVisibleTies(rate: number, readRate: number, resolution: number, seconds: number): number {
  if (rate === 0) return 0;
  return seconds * rate * sameTickProbability(rate, resolution) * -Math.expm1(-readRate / rate);
}

/** Probability of at least one visible tie on a cell over `seconds` (Poisson count ≥ 1). */
export function visibleTieChance(rate: number, readRate: number, resolution: number, seconds: number): number {
  return -Math.expm1(-expectedVisibleTies(rate, readRate, resolution, seconds));
}

/**
 * Probability that a row written whole `writes` times, a mean `meanGap` seconds apart, ends up
 * mixed: a tie on consecutive writes mixes it when each cell's greater value comes from a
 * different write (a = id, b = −id always does).
 */
export function corruptRowProbability(writes: number, meanGap: number, resolution: number): number {
  if (writes < 2 || meanGap <= 0) return 0;
  const p = sameTickProbability(1 / meanGap, resolution);
  return -Math.expm1((writes - 1) * Math.log1p(-p));
}

/** The largest power of ten (≤ 1 s) dividing every timestamp, in seconds, from timestamps in microseconds. */
export function timestampResolution(tsMicros: readonly number[]): number {
  let step = 1;
  while (step < 1e6 && tsMicros.length > 0 && tsMicros.every((t) => t % (step * 10) === 0)) step *= 10;
  return step / 1e6;
}
