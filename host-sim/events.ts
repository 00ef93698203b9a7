// The run's event log: what happened, when, where. Kept in memory as rows and written as
// CSV once, so recording costs little while the simulation runs.

export interface EventRow {
  /** Virtual time in microseconds. */
  at: number;
  node: number;
  event: string;
  detail: string;
}

export class EventLog {
  readonly rows: EventRow[] = [];

  add(at: number, node: number, event: string, detail = ''): void {
    this.rows.push({ at, node, event, detail });
  }

  count(event: string): number {
    let n = 0;
    for (const r of this.rows) if (r.event === event) n++;
    return n;
  }
}

/** time_ms keeps microsecond resolution as three decimals: rows are exact, never rounded. */
export function formatTimeMs(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${ms}.${String(us % 1000).padStart(3, '0')}`;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function eventsToCsv(rows: readonly EventRow[]): string {
  const lines = ['time_ms,node,event,detail'];
  for (const r of rows) lines.push(`${formatTimeMs(r.at)},${r.node},${csvField(r.event)},${csvField(r.detail)}`);
  return lines.join('\n') + '\n';
}
