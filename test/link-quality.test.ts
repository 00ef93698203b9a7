// The link-quality estimator and beacon jitter as pure functions (firmware/src/link/quality.ts).

import { beforeAll, describe, expect, it } from 'vitest';
import { compileTestEntry, instantiate, type Exports } from './helpers/wasm.ts';

let q: Exports;
beforeAll(async () => {
  q = (await instantiate(await compileTestEntry('pure'))).exports;
});

/** Feeds hello sequence numbers through the estimator the way the link layer does. */
function track(seqs: number[]): { window: number; span: number; quality: number } {
  let window = 1;
  let span = 1;
  for (let i = 1; i < seqs.length; i++) {
    const gap = q.seq_gap(seqs[i - 1], seqs[i]) >>> 0;
    if (gap === 0) continue;
    if (q.is_restart(gap)) {
      window = 1;
      span = 1;
    } else {
      window = q.slide_window(window, gap) >>> 0;
      span = q.slide_span(span, gap) >>> 0;
    }
  }
  return { window, span, quality: q.window_quality(window, span) };
}

describe('sequence gaps', () => {
  it('counts slots between hellos across the u16 wrap', () => {
    expect(q.seq_gap(5, 6)).toBe(1);
    expect(q.seq_gap(5, 9)).toBe(4);
    expect(q.seq_gap(0xffff, 0)).toBe(1);
    expect(q.seq_gap(0xfffe, 2)).toBe(4);
    expect(q.seq_gap(7, 7)).toBe(0);
  });

  it('treats a step backwards as a restart of the sender', () => {
    expect(q.is_restart(q.seq_gap(100, 99) >>> 0)).toBe(1);
    expect(q.is_restart(q.seq_gap(100, 101) >>> 0)).toBe(0);
    expect(q.is_restart(0x7fff)).toBe(0);
    expect(q.is_restart(0x8000)).toBe(1);
  });
});

describe('window quality', () => {
  it('is full for a new neighbour and for one heard every time', () => {
    expect(track([10]).quality).toBe(255);
    expect(track([...Array(40).keys()]).quality).toBe(255);
  });

  it('is the heard fraction of the last 16 slots', () => {
    // 0..15 then every second hello: the last 16 slots hold 8 heard.
    const seqs = [...Array(16).keys(), 17, 19, 21, 23, 25, 27, 29, 31];
    const t = track(seqs);
    expect(t.span).toBe(16);
    expect(t.quality).toBe(Math.floor((8 * 255) / 16));
  });

  it('counts only slots since the neighbour was first heard', () => {
    // Heard 0 and 2, missed 1: 2 of 3 slots.
    expect(track([0, 2]).quality).toBe(170);
  });

  it('forgets everything after a gap of a whole window', () => {
    expect(q.slide_window(0xffff, 16)).toBe(1);
    expect(q.slide_window(0xffff, 40)).toBe(1);
    expect(track([0, 1, 2, 3, 50]).quality).toBe(Math.floor(255 / 16));
  });

  it('keeps the window to 16 bits', () => {
    expect(q.slide_window(0xffff, 1)).toBe(0xffff);
    expect(q.slide_window(0x8000, 1)).toBe(1);
    expect(q.slide_span(15, 5)).toBe(16);
    expect(q.window_quality(0xffffffff, 16)).toBe(255);
    expect(q.window_quality(0, 0)).toBe(0);
  });

  it('restarts cleanly when the sender reboots', () => {
    expect(track([0, 2, 4, 6, 8, 3]).quality).toBe(255);
  });
});

describe('overdue hellos', () => {
  it('tolerates up to 1.5 intervals of silence as jitter', () => {
    expect(q.overdue_hellos(0, 1000)).toBe(0);
    expect(q.overdue_hellos(1499, 1000)).toBe(0);
    expect(q.overdue_hellos(1500, 1000)).toBe(1);
    expect(q.overdue_hellos(2499, 1000)).toBe(1);
    expect(q.overdue_hellos(2500, 1000)).toBe(2);
    expect(q.overdue_hellos(5000, 0)).toBe(0);
  });

  it('lowers the current quality of a silent neighbour', () => {
    expect(q.current_quality(0xffff, 16, 0)).toBe(255);
    expect(q.current_quality(0xffff, 16, 4)).toBe(Math.floor((12 * 255) / 16));
    expect(q.current_quality(0xffff, 16, 16)).toBe(0);
    // A new neighbour silent for two slots: 1 of 3.
    expect(q.current_quality(1, 1, 2)).toBe(85);
  });
});

describe('beacon jitter', () => {
  it('stays within +-10 % of the interval and covers the range', () => {
    let min = Infinity;
    let max = 0;
    for (let r = 0; r < 5000; r++) {
      const d = q.jittered_interval(1000, (r * 2654435761) >>> 0) >>> 0;
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    expect(min).toBe(900);
    expect(max).toBe(1100);
    expect(q.jittered_interval(50, 0xffffffff) >>> 0).toBeGreaterThanOrEqual(45);
  });
});
