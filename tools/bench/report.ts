// Printing the benchmarks' tables: aligned columns, number formats and the machine line, so
// every `npm run bench:*` reads the same way.

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
/** `a / b` as "1.23x", or "-" when either is missing. */
export const ratio = (a: number, b: number) => (a > 0 && b > 0 ? `${(a / b).toFixed(2)}x` : '-');

/**
 * Prints `rows` under `head`, the first `leftCols` columns left-aligned and the rest right-
 * aligned; an empty row prints a rule.
 */
export function table(head: string[], rows: string[][], leftCols: number): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const print = (r: string[]) => console.log(r.map((c, i) => (i < leftCols ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd());
  print(head);
  print(widths.map((w) => '-'.repeat(w)));
  for (const r of rows) (r.length ? print(r) : print(widths.map((w) => '-'.repeat(w))));
}

export function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch { /* not Linux */ }
  return cpus()[0]?.model ?? 'unknown CPU';
}
