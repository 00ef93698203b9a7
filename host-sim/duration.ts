// Human durations ("60s", "500ms", "2m", "1.5h", "250us") <-> integer microseconds, the
// simulator's unit of time.

const UNITS: Record<string, number> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };

export const DURATION_PATTERN = '^\\s*[0-9]+(\\.[0-9]+)?\\s*(us|ms|s|m|h)\\s*$';
const DURATION_RE = new RegExp(DURATION_PATTERN);

/** Microseconds, or null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = DURATION_RE.exec(text);
  if (!m) return null;
  const unit = text.trim().replace(/^[0-9.\s]+/, '');
  const value = parseFloat(text);
  return Math.round(value * UNITS[unit]);
}

export function formatDuration(us: number): string {
  if (us % 60_000_000 === 0 && us >= 120_000_000) return `${us / 60_000_000}m`;
  if (us % 1_000_000 === 0 && us > 0) return `${us / 1_000_000}s`;
  if (us % 1_000 === 0) return `${us / 1_000}ms`;
  return `${us}us`;
}

export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;
