import { describe, expect, it } from 'vitest';
import { Engine } from '../host-sim/engine.ts';
import { TimedQueue } from '../host-sim/queue.ts';
import { Rng, deriveStream } from '../host-sim/prng.ts';
import { parseDuration, formatDuration } from '../host-sim/duration.ts';

describe('event queue', () => {
  it('pops by time, then by insertion order', () => {
    const q = new TimedQueue<{ at: number; seq: number; tag: string }>();
    const items = [
      { at: 5, seq: 0, tag: 'a' },
      { at: 1, seq: 1, tag: 'b' },
      { at: 5, seq: 2, tag: 'c' },
      { at: 3, seq: 3, tag: 'd' },
      { at: 1, seq: 4, tag: 'e' },
    ];
    for (const i of items) q.push(i);
    const out: string[] = [];
    while (q.size) out.push(q.pop()!.tag);
    expect(out).toEqual(['b', 'e', 'd', 'a', 'c']);
  });

  it('stays ordered under many random pushes', () => {
    const rng = new Rng(42);
    const q = new TimedQueue<{ at: number; seq: number }>();
    for (let i = 0; i < 5000; i++) q.push({ at: rng.nextInt(100), seq: i });
    let prev = { at: -1, seq: -1 };
    while (q.size) {
      const e = q.pop()!;
      expect(e.at > prev.at || (e.at === prev.at && e.seq > prev.seq)).toBe(true);
      prev = e;
    }
  });
});

describe('engine', () => {
  it('runs events in (time, scheduling order) and advances the clock', () => {
    const e = new Engine();
    const log: string[] = [];
    e.at(20, () => log.push(`x@${e.now}`));
    e.at(10, () => {
      log.push(`y@${e.now}`);
      e.at(20, () => log.push(`z@${e.now}`)); // same time as x, scheduled later: runs after x
      e.after(0, () => log.push(`w@${e.now}`));
    });
    e.run(100);
    expect(log).toEqual(['y@10', 'w@10', 'x@20', 'z@20']);
    expect(e.now).toBe(100);
  });

  it('stops at the horizon and resumes later', () => {
    const e = new Engine();
    const log: number[] = [];
    for (const t of [5, 10, 15]) e.at(t, () => log.push(t));
    e.run(10);
    expect(log).toEqual([5, 10]);
    e.run(20);
    expect(log).toEqual([5, 10, 15]);
  });

  it('skips cancelled events and refuses the past and fractional times', () => {
    const e = new Engine();
    let ran = false;
    const h = e.at(5, () => (ran = true));
    e.cancel(h);
    e.run(10);
    expect(ran).toBe(false);
    expect(() => e.at(3, () => {})).toThrow(/past/);
    expect(() => e.at(10.5, () => {})).toThrow(/integer/);
  });

  it('stops after a failure', () => {
    const e = new Engine();
    const log: number[] = [];
    e.at(1, () => e.fail(new Error('boom')));
    e.at(2, () => log.push(2));
    e.run(10);
    expect(log).toEqual([]);
    expect(e.failure?.message).toBe('boom');
  });

  it('is deterministic: the same schedule gives the same trace', () => {
    const trace = (seed: number) => {
      const e = new Engine();
      const rng = new Rng(seed);
      const out: string[] = [];
      const spawn = (id: number) =>
        e.after(rng.nextInt(1000), () => {
          out.push(`${e.now}:${id}`);
          if (out.length < 500) spawn(rng.nextInt(10));
        });
      for (let i = 0; i < 10; i++) spawn(i);
      e.run(1e9);
      return out.join(',');
    };
    expect(trace(7)).toBe(trace(7));
    expect(trace(7)).not.toBe(trace(8));
  });
});

describe('prng', () => {
  it('reproduces the same sequence from the same seed', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const xs = Array.from({ length: 100 }, () => a.nextU32());
    expect(Array.from({ length: 100 }, () => b.nextU32())).toEqual(xs);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
    expect(new Rng(124).nextU32()).not.toBe(xs[0]);
  });

  it('derives independent, reproducible streams per label', () => {
    const first = (seed: number, label: string) => deriveStream(seed, label).nextU32();
    expect(first(1, 'node/1')).toBe(first(1, 'node/1'));
    const labels = ['node/1', 'node/2', 'node/10', 'medium', 'boot', 'placement/0'];
    expect(new Set(labels.map((l) => first(1, l))).size).toBe(labels.length);
    expect(first(1, 'medium')).not.toBe(first(2, 'medium'));
  });

  it('is roughly uniform', () => {
    const rng = new Rng(9);
    const buckets = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) buckets[Math.floor(rng.nextFloat() * 10)]++;
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(n / 10 * 0.05);
  });
});

describe('durations', () => {
  it('parses units into microseconds', () => {
    expect(parseDuration('60s')).toBe(60_000_000);
    expect(parseDuration('500ms')).toBe(500_000);
    expect(parseDuration('2m')).toBe(120_000_000);
    expect(parseDuration('1.5s')).toBe(1_500_000);
    expect(parseDuration('250us')).toBe(250);
    expect(parseDuration('1h')).toBe(3_600_000_000);
    expect(parseDuration('60')).toBeNull();
    expect(parseDuration('s')).toBeNull();
    expect(parseDuration('5 days')).toBeNull();
  });
  it('formats back', () => {
    expect(formatDuration(60_000_000)).toBe('60s');
    expect(formatDuration(300_000_000)).toBe('5m');
    expect(formatDuration(500_000)).toBe('500ms');
  });
});

describe('no wall clock in results', () => {
  it('host-sim reads neither Math.random nor the date, and wall time only in the runner', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = new URL('../host-sim/', import.meta.url).pathname;
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      expect({ f, random: /Math\.random|Date\.now|new Date/.test(text) }).toEqual({ f, random: false });
      if (f !== 'run.ts') expect({ f, wall: /performance\.now|process\.hrtime/.test(text) }).toEqual({ f, wall: false });
    }
  });
});
