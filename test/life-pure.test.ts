// The node lifecycle's pure parts (firmware/src/life/): the transition function state by
// state, the fixed event ring that overwrites its oldest event, and candidate ordering.

import { beforeAll, describe, expect, it } from 'vitest';
import { compileTestEntry, instantiate, type Exports } from './helpers/wasm.ts';
import { LifeState as S } from '../tools/wire/abi.ts';

let x: Exports;
beforeAll(async () => {
  x = (await instantiate(await compileTestEntry('life_pure'))).exports;
});

// Mirrors firmware/src/life/states.ts (Event, Action).
const E = {
  BootRoot: 1, BootNode: 2, Found: 3, NoneFound: 4, Retry: 5, Associated: 6, Registered: 7, JoinFailed: 8, JoinExhausted: 9,
  ParentLost: 10, RecoveryTimeout: 11, Restarted: 12, Alert: 13, Resumed: 14, RootLost: 15, RootBack: 16, AwaitExpired: 17,
  JobBegin: 18, JobEnd: 19, ChildUp: 20, ChildJoin: 21, ChildLost: 22,
} as const;
const A = {
  Restart: 1, Leave: 2, Detach: 4, AttachRoot: 8, Attach: 16, Alert: 32, Await: 64, Resume: 128, Scan: 256, ScanLater: 512,
  JoinNext: 1024, Register: 2048, AddChild: 4096, Accept: 8192, Refuse: 16384, DropChild: 32768,
} as const;
const STATES = Object.values(S);

function step(state: number, event: number): [number, number] {
  const packed = x.life_transition(state, event) >>> 0;
  return [x.life_next(packed), x.life_actions(packed)];
}

describe('transition function', () => {
  it('integrates: root Init -> Active; others Init -> Search -> Join Network -> Active', () => {
    expect(step(S.Init, E.BootRoot)).toEqual([S.Active, A.AttachRoot | A.Resume]);
    expect(step(S.Init, E.BootNode)).toEqual([S.Search, A.Scan]);
    expect(step(S.Search, E.NoneFound)).toEqual([S.Search, A.ScanLater]);
    expect(step(S.Search, E.Retry)).toEqual([S.Search, A.Scan]);
    expect(step(S.Search, E.Found)).toEqual([S.JoinNetwork, A.JoinNext]);
    expect(step(S.JoinNetwork, E.Associated)).toEqual([S.JoinNetwork, A.Register]);
    expect(step(S.JoinNetwork, E.JoinFailed)).toEqual([S.JoinNetwork, A.Leave | A.JoinNext]);
    expect(step(S.JoinNetwork, E.JoinExhausted)).toEqual([S.Search, A.Leave | A.ScanLater]);
    expect(step(S.JoinNetwork, E.Registered)).toEqual([S.Active, A.Attach | A.Resume]);
  });

  it('runs jobs only from Active and returns there', () => {
    expect(step(S.Active, E.JobBegin)).toEqual([S.ExecuteJob, 0]);
    expect(step(S.ExecuteJob, E.JobEnd)).toEqual([S.Active, 0]);
    for (const s of STATES.filter((s) => s !== S.Active)) expect(step(s, E.JobBegin)).toEqual([s, 0]);
  });

  it('recovers: parent lost -> Parent Recovery keeping the subtree; success -> Active; timeout -> Node Restart -> Search', () => {
    for (const s of [S.Active, S.ExecuteJob, S.RecoveryAwait]) expect(step(s, E.ParentLost)).toEqual([S.ParentRecovery, A.Detach | A.Alert | A.Scan]);
    expect(step(S.ParentRecovery, E.Found)).toEqual([S.ParentRecovery, A.JoinNext]);
    expect(step(S.ParentRecovery, E.NoneFound)).toEqual([S.ParentRecovery, A.ScanLater]);
    expect(step(S.ParentRecovery, E.JoinExhausted)).toEqual([S.ParentRecovery, A.Leave | A.ScanLater]);
    expect(step(S.ParentRecovery, E.Registered)).toEqual([S.Active, A.Attach | A.Resume]);
    expect(step(S.ParentRecovery, E.RecoveryTimeout)).toEqual([S.NodeRestart, A.Restart]);
    expect(step(S.NodeRestart, E.Restarted)).toEqual([S.Search, A.Scan]);
    // Detach never releases children: only Node Restart does.
    expect(step(S.Active, E.ParentLost)[1] & A.Restart).toBe(0);
  });

  it('descendants await: alert or odd root number -> Recovery Await; resume or root back -> Active; expiry -> seek a parent', () => {
    for (const s of [S.Active, S.ExecuteJob]) {
      expect(step(s, E.Alert)).toEqual([S.RecoveryAwait, A.Await | A.Alert]);
      expect(step(s, E.RootLost)).toEqual([S.RecoveryAwait, A.Await | A.Alert]);
    }
    expect(step(S.RecoveryAwait, E.Resumed)).toEqual([S.Active, A.Resume]);
    expect(step(S.RecoveryAwait, E.RootBack)).toEqual([S.Active, A.Resume]);
    expect(step(S.RecoveryAwait, E.AwaitExpired)).toEqual([S.ParentRecovery, A.Leave | A.Detach | A.Alert | A.Scan]);
    expect(step(S.Active, E.Resumed)).toEqual([S.Active, A.Resume]); // depth may have changed
  });

  it('takes children only while attached', () => {
    for (const s of STATES) {
      expect(step(s, E.ChildUp)).toEqual([s, A.AddChild]);
      expect(step(s, E.ChildLost)).toEqual([s, A.DropChild]);
      expect(step(s, E.ChildJoin)).toEqual([s, s === S.Active || s === S.ExecuteJob ? A.Accept : A.Refuse]);
    }
  });

  it('is total: every (state, event) gives a state, and unexpected events change nothing', () => {
    const expected = new Set<string>();
    const table: Record<string, [number, number]> = {};
    for (const s of STATES) {
      for (let e = 0; e <= 24; e++) {
        const [next, actions] = step(s, e);
        expect(STATES).toContain(next);
        table[`${s}/${e}`] = [next, actions];
        if (next !== s || actions !== 0) expected.add(`${s}/${e}`);
      }
    }
    // Stale timers and late frames are no-ops where they make no sense.
    for (const [s, e] of [[S.Active, E.Found], [S.Active, E.Registered], [S.Search, E.Registered], [S.Active, E.RecoveryTimeout],
      [S.Search, E.ParentLost], [S.Search, E.Alert], [S.RecoveryAwait, E.Alert], [S.Active, E.RootBack], [S.Init, E.Found],
      [S.Active, E.AwaitExpired], [S.Search, E.Restarted], [S.Active, 0], [S.Active, 23]] as const) {
      expect(table[`${s}/${e}`], `${s}/${e}`).toEqual([s, 0]);
    }
    expect(expected.size).toBeGreaterThan(40);
  });
});

describe('event ring', () => {
  it('is FIFO and overwrites the oldest event when full, counting it', () => {
    x.ring_new(4);
    for (let i = 1; i <= 6; i++) x.ring_push(i, 100 + i, 1000 + i);
    expect(x.ring_size()).toBe(4);
    expect(x.ring_overwrites()).toBe(2);
    const out: number[][] = [];
    while (x.ring_size() > 0) {
      out.push([x.ring_kind(), x.ring_peer(), x.ring_arg()]);
      x.ring_pop();
    }
    expect(out).toEqual([[3, 103, 1003], [4, 104, 1004], [5, 105, 1005], [6, 106, 1006]]);
    x.ring_pop(); // popping an empty ring is harmless
    expect(x.ring_size()).toBe(0);
  });

  it('wraps around without losing order', () => {
    x.ring_new(3);
    const seen: number[] = [];
    // Two in, two out: the head walks round the three slots many times.
    for (let i = 1; i <= 20; i += 2) {
      x.ring_push(i, 0, 0);
      x.ring_push(i + 1, 0, 0);
      for (let k = 0; k < 2; k++) {
        seen.push(x.ring_kind());
        x.ring_pop();
      }
    }
    expect(x.ring_overwrites()).toBe(0);
    while (x.ring_size() > 0) {
      seen.push(x.ring_kind());
      x.ring_pop();
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('candidate parents', () => {
  it('accepts only attached, accepting softAPs at a real depth', () => {
    expect(x.advert_acceptable(1, 3)).toBe(1);
    expect(x.advert_acceptable(1, 1)).toBe(0); // not attached to a root
    expect(x.advert_acceptable(1, 2)).toBe(0); // not accepting
    expect(x.advert_acceptable(255, 3)).toBe(0);
    expect(x.advert_acceptable(254, 3)).toBe(0);
  });

  it('orders by depth, then signal, then fewest children, keeping the best when full', () => {
    x.cands_new(3);
    x.cands_offer(10, 2, -40, 0);
    x.cands_offer(11, 1, -70, 5);
    x.cands_offer(12, 1, -50, 3);
    x.cands_offer(13, 1, -50, 1);
    x.cands_offer(14, 3, -20, 0); // worse than every kept one: dropped
    expect(x.cands_size()).toBe(3);
    expect([x.cands_next(), x.cands_next(), x.cands_next(), x.cands_next()]).toEqual([13, 12, 11, 0]);
  });
});
