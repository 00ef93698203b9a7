// The route layer's pure rules (docs/routing.md): sequence numbers with wrap-around, the DSDV
// acceptance table, the ETX metric and the Trickle timer.

import { beforeAll, describe, expect, it } from 'vitest';
import { compileTestEntry, instantiate, type Exports } from './helpers/wasm.ts';

let x: Exports;
beforeAll(async () => {
  x = (await instantiate(await compileTestEntry('route_pure'))).exports;
});

const INF = 0xffff;
const Verdict = { Accept: 1, IgnoreUnreachable: 2, RejectOlder: 3, RejectNotShorter: 4, Defer: 5 };

describe('sequence numbers', () => {
  it('compare by serial-number arithmetic, across the wrap', () => {
    expect(x.seq_compare(10, 10)).toBe(0);
    expect(x.seq_compare(12, 10)).toBe(1);
    expect(x.seq_compare(10, 12)).toBe(-1);
    expect(x.seq_compare(2, 0xfffe)).toBe(1); // 0xfffe + 4 wraps to 2
    expect(x.seq_compare(0xfffe, 2)).toBe(-1);
    expect(x.seq_compare(0x7fff, 0)).toBe(1);
    expect(x.seq_compare(0x8000, 0)).toBe(-1); // half the circle away counts as older
    expect(x.seq_compare(0, 0x8000)).toBe(-1);
  });

  it('rise by 2 and stay even; a break is the next odd number; a node supersedes what it hears', () => {
    expect(x.seq_next_own(0)).toBe(2);
    expect(x.seq_next_own(0xfffe)).toBe(0);
    expect(x.seq_next_own(7)).toBe(8);
    expect(x.seq_broken(10)).toBe(11);
    expect(x.seq_broken(11)).toBe(11);
    expect(x.seq_broken(0xfffe)).toBe(0xffff);
    expect(x.seq_supersede(20, 10)).toBe(20);
    expect(x.seq_supersede(4, 11)).toBe(12); // restarted node told it was unreachable at 11
    expect(x.seq_supersede(4, 12)).toBe(14);
    expect(x.seq_supersede(0xfffe, 0xffff)).toBe(0);
  });
});

describe('update acceptance (judge)', () => {
  // [have, curSeq, curMetric, fromNextHop, seq, metric] -> verdict
  const table: [string, [boolean, number, number, boolean, number, number], number][] = [
    ['unknown destination, reachable', [false, 0, INF, false, 10, 32], Verdict.Accept],
    ['unknown destination, unreachable', [false, 0, INF, false, 11, INF], Verdict.IgnoreUnreachable],
    ['older number', [true, 10, 48, false, 8, 16], Verdict.RejectOlder],
    ['older number from the next hop', [true, 10, 48, true, 8, 16], Verdict.RejectOlder],
    ['older across the wrap', [true, 2, 48, false, 0xfffe, 16], Verdict.RejectOlder],
    ['same number, shorter', [true, 10, 48, false, 10, 32], Verdict.Accept],
    ['same number, equal', [true, 10, 48, false, 10, 48], Verdict.RejectNotShorter],
    ['same number, longer, even from the next hop', [true, 10, 48, true, 10, 64], Verdict.RejectNotShorter],
    ['newer number, shorter', [true, 10, 48, false, 12, 32], Verdict.Accept],
    ['newer number, equal cost', [true, 10, 48, false, 12, 48], Verdict.Accept],
    ['newer number, longer, from another neighbour', [true, 10, 48, false, 12, 64], Verdict.Defer],
    ['newer number, longer, from the next hop', [true, 10, 48, true, 12, 64], Verdict.Accept],
    ['newer number across the wrap', [true, 0xfffe, 48, true, 0, 48], Verdict.Accept],
    ['broken link from the next hop (odd, infinite)', [true, 10, 48, true, 11, INF], Verdict.Accept],
    ['broken link from another neighbour', [true, 10, 48, false, 11, INF], Verdict.Defer],
    ['newer even number repairs an unreachable route', [true, 11, INF, false, 12, 80], Verdict.Accept],
    ['same odd number again', [true, 11, INF, false, 11, INF], Verdict.RejectNotShorter],
    ['older even number cannot repair an odd one', [true, 11, INF, false, 10, 16], Verdict.RejectOlder],
  ];
  it.each(table)('%s', (_, args, verdict) => {
    expect(x.judge_entry(...args)).toBe(verdict);
  });

  it('treats every odd number as unreachable, and saturates metrics', () => {
    expect(x.metric_via(11, 16, 16)).toBe(INF);
    expect(x.metric_via(10, INF, 16)).toBe(INF);
    expect(x.metric_via(10, 16, INF)).toBe(INF);
    expect(x.metric_via(10, 32, 16)).toBe(48);
    expect(x.metric_via(10, 0xfff0, 0x20)).toBe(INF);
    expect(x.add_metric(0xfffe, 1)).toBe(INF);
  });

  it('calls new routes, reachability changes and metric changes of a hop significant', () => {
    expect(x.is_significant(0, INF, 32)).toBe(1);
    expect(x.is_significant(1, 32, INF)).toBe(1);
    expect(x.is_significant(1, INF, 32)).toBe(1);
    expect(x.is_significant(1, 32, 48)).toBe(1);
    expect(x.is_significant(1, 32, 40)).toBe(0); // drift below a hop
    expect(x.is_significant(1, 32, 32)).toBe(0); // a sequence increment alone
    expect(x.is_significant(1, INF, INF)).toBe(0);
  });

  it('offers our route to a neighbour only when it would take it, by a hop at least', () => {
    expect(x.would_improve(10, 64, 10, 48)).toBe(1);
    expect(x.would_improve(10, 64, 10, 56)).toBe(0); // less than a hop better
    expect(x.would_improve(12, 64, 10, 16)).toBe(0); // it holds a newer number
    expect(x.would_improve(11, INF, 12, 48)).toBe(1); // it missed the repair
    expect(x.would_improve(11, INF, 10, 48)).toBe(0);
    expect(x.would_improve(10, 64, 12, INF)).toBe(0);
  });
});

describe('ETX metric', () => {
  it('costs 16 per lossless hop and grows as 1/(df x dr)', () => {
    expect(x.etx_metric(255, 255)).toBe(16);
    expect(x.etx_metric(128, 255)).toBe(32);
    expect(x.etx_metric(128, 128)).toBe(64);
    expect(x.etx_metric(0, 255)).toBe(INF);
    expect(x.etx_metric(255, 0)).toBe(INF);
    expect(x.etx_metric(1, 1)).toBe(1024); // capped at 64 hops
  });
});

describe('Trickle timer (RFC 6206)', () => {
  it('doubles from imin up to imax and picks t in [I/2, I)', () => {
    expect(x.trickle_imax(500, 8)).toBe(128_000);
    expect(x.trickle_imax(60_000, 16)).toBe(0x40000000); // capped at 2^30 ms
    expect(x.trickle_next(500, 2000)).toBe(1000);
    expect(x.trickle_next(1000, 2000)).toBe(2000);
    expect(x.trickle_next(2000, 2000)).toBe(2000);
    for (let r = 0; r < 1000; r += 37) {
      const t = x.trickle_point(1000, r);
      expect(t).toBeGreaterThanOrEqual(500);
      expect(t).toBeLessThan(1000);
    }
    expect(x.trickle_transmits(0, 2)).toBe(1);
    expect(x.trickle_transmits(2, 2)).toBe(0);
    expect(x.trickle_transmits(99, 0)).toBe(1); // k = 0: never suppress
  });

  it('transmits once per interval, is suppressed by k consistent messages, and resets on inconsistency', () => {
    x.trickle_new(100, 3, 1, 0, 0); // t = 50
    expect(x.trickle_deadline()).toBe(50);
    expect(x.trickle_due(49, 0)).toBe(0);
    expect(x.trickle_due(50, 0)).toBe(1);
    expect(x.trickle_due(60, 0)).toBe(0); // once per interval
    expect(x.trickle_deadline()).toBe(100);
    expect(x.trickle_due(100, 0)).toBe(0); // next interval (200) begins, t = 200
    expect(x.trickle_interval()).toBe(200);
    x.trickle_consistent();
    expect(x.trickle_due(200, 0)).toBe(0); // heard k = 1: suppressed
    expect(x.trickle_due(300, 0)).toBe(0);
    expect(x.trickle_interval()).toBe(400);
    expect(x.trickle_due(800, 0)).toBe(0);
    expect(x.trickle_interval()).toBe(800); // imax = 100 x 2^3
    expect(x.trickle_due(1600, 0)).toBe(0);
    expect(x.trickle_interval()).toBe(800);
    x.trickle_reset(1700, 0);
    expect(x.trickle_interval()).toBe(100);
    expect(x.trickle_deadline()).toBe(1750);
    x.trickle_reset(1710, 0); // already at imin: nothing happens
    expect(x.trickle_deadline()).toBe(1750);
    expect(x.trickle_due(1750, 0)).toBe(1);
  });
});
