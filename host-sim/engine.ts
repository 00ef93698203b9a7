// The discrete-event engine: virtual time in integer microseconds, nothing else. It knows
// nothing about nodes or radios; those schedule callbacks on it.

import { TimedQueue } from './queue.ts';

export interface EventHandle {
  readonly at: number;
  cancelled: boolean;
}

interface Entry extends EventHandle {
  seq: number;
  run: () => void;
}

export class Engine {
  private queue = new TimedQueue<Entry>();
  private seq = 0;
  private current = 0;
  private stopped: Error | null = null;

  /** Virtual time in microseconds. */
  get now(): number {
    return this.current;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Runs `run` at virtual time `at` (µs, integer, never in the past). */
  at(at: number, run: () => void): EventHandle {
    if (!Number.isInteger(at)) throw new Error(`event time ${at} µs is not an integer`);
    if (at < this.current) throw new Error(`event at ${at} µs scheduled in the past (now ${this.current} µs)`);
    const entry: Entry = { at, seq: this.seq++, run, cancelled: false };
    this.queue.push(entry);
    return entry;
  }

  after(delay: number, run: () => void): EventHandle {
    return this.at(this.current + delay, run);
  }

  /** Lazy cancellation: the entry stays queued and is skipped when it comes up. */
  cancel(handle: EventHandle | null | undefined): void {
    if (handle) handle.cancelled = true;
  }

  /** Ends the run with an error after the current event. */
  fail(error: Error): void {
    if (!this.stopped) this.stopped = error;
  }

  get failure(): Error | null {
    return this.stopped;
  }

  /**
   * Runs every event up to and including `until` µs, then leaves the clock at `until`.
   * `onProgress` is called between events at most every `progressEvery` events so a caller
   * can draw progress without the engine knowing about terminals.
   */
  run(until: number, onProgress?: (now: number) => void, progressEvery = 5000): void {
    let count = 0;
    for (;;) {
      if (this.stopped) return;
      const next = this.queue.peek();
      if (!next || next.at > until) break;
      this.queue.pop();
      if (next.cancelled) continue;
      this.current = next.at;
      next.run();
      if (onProgress && ++count % progressEvery === 0) onProgress(this.current);
    }
    if (!this.stopped) this.current = Math.max(this.current, until);
  }
}
