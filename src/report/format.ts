/** Number formats shared by every report section. */

export function formatPercent(x: number): string {
  if (!Number.isFinite(x)) return "n/a";
  const p = x * 100;
  return `${p === 0 || p === 100 || p >= 10 ? p.toFixed(1) : p.toPrecision(2)}%`;
}

export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}
