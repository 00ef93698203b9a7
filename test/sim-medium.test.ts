import { describe, expect, it } from 'vitest';
import { airtimeUs, linkLatencyUs, rssiAt } from '../host-sim/link.ts';
import { buildTopology, isConnected, type MediumSpec } from '../host-sim/topology.ts';
import { placeNodes } from '../host-sim/placement.ts';
import { Medium } from '../host-sim/medium.ts';
import { Engine } from '../host-sim/engine.ts';
import { Rng, deriveStream } from '../host-sim/prng.ts';
import { testBoard } from './sim-fixtures/fake-node.ts';

const board = testBoard();
const range = (o: Partial<MediumSpec> = {}): MediumSpec => ({ kind: 'range', loss: 0, links: [], ...o });

describe('link model', () => {
  it('latency = base + bytes * 8 / bandwidth', () => {
    expect(linkLatencyUs(2, 250, 1_000_000)).toBe(2000 + 2000);
    expect(linkLatencyUs(0, 100, 250_000)).toBe(3200);
    expect(linkLatencyUs(1.5, 1, 8_000_000)).toBe(1501);
    expect(airtimeUs(125, 1_000_000)).toBe(1000);
  });
  it('rssi falls with distance', () => {
    expect(rssiAt(1)).toBe(-40);
    expect(rssiAt(10)).toBeLessThan(rssiAt(5));
    expect(rssiAt(1e9)).toBe(-100);
  });
});

describe('topology', () => {
  const nodes = [
    { id: 1, board, pos: { x: 0, y: 0 } },
    { id: 2, board, pos: { x: 50, y: 0 } },
    { id: 3, board, pos: { x: 120, y: 0 } },
  ];
  it('links nodes within range, symmetric and sorted', () => {
    const t = buildTopology(range({ range_m: 60 }), nodes);
    expect(t.get(1)!.map((l) => l.peer)).toEqual([2]);
    expect(t.get(2)!.map((l) => l.peer)).toEqual([1]);
    expect(t.get(3)).toEqual([]);
    expect(isConnected(t)).toBe(false);
    const t2 = buildTopology(range({ range_m: 70 }), nodes);
    expect(t2.get(2)!.map((l) => l.peer)).toEqual([1, 3]);
    expect(isConnected(t2)).toBe(true);
  });
  it('uses the weaker board range when the medium gives none', () => {
    const short = testBoard({ name: 'short' }, { range_m: 40 });
    const t = buildTopology(range(), [nodes[0], { ...nodes[1], board: short }]);
    expect(t.get(1)).toEqual([]);
  });
  it('applies per-link overrides and explicit link lists', () => {
    const spec: MediumSpec = { kind: 'links', loss: 0.1, links: [{ a: 1, b: 3, loss: 0.5, latency_ms: 7 }, { a: 2, b: 3 }] };
    const t = buildTopology(spec, nodes);
    expect(t.get(3)!.map((l) => [l.peer, l.loss, l.baseLatencyMs])).toEqual([
      [1, 0.5, 7],
      [2, 0.1, 1],
    ]);
    expect(t.get(1)!.map((l) => l.peer)).toEqual([3]);
  });
});

describe('placement', () => {
  it('places reproducibly from the seed and connected', () => {
    const req = {
      nodes: Array.from({ length: 10 }, (_, i) => ({ id: i + 1, board })),
      area: { width: 200, height: 200 },
      connected: true,
      fixed: [],
      medium: range({ range_m: 60 }),
      maxTries: 1000,
    };
    const a = placeNodes(deriveStream(5, 'p'), req);
    const b = placeNodes(deriveStream(5, 'p'), req);
    expect([...a.positions]).toEqual([...b.positions]);
    const c = placeNodes(deriveStream(6, 'p'), req);
    expect([...c.positions]).not.toEqual([...a.positions]);
    const topo = buildTopology(req.medium, req.nodes.map((n) => ({ ...n, pos: a.positions.get(n.id)! })));
    expect(isConnected(topo)).toBe(true);
    for (const p of a.positions.values()) expect(p.x >= 0 && p.x <= 200 && p.y >= 0 && p.y <= 200).toBe(true);
  });
  it('gives up with a clear message when connection is impossible', () => {
    expect(() =>
      placeNodes(new Rng(1), {
        nodes: [{ id: 1, board }, { id: 2, board }],
        area: { width: 10_000, height: 10_000 },
        connected: true,
        fixed: [],
        medium: range({ range_m: 1 }),
        maxTries: 20,
      }),
    ).toThrow(/could not place 2 nodes connected .* in 20 tries/);
  });
});

describe('medium', () => {
  function setup(loss: number) {
    const engine = new Engine();
    const nodes = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, board, pos: { x: i, y: 0 } }));
    const topo = buildTopology(range({ range_m: 100, loss, base_latency_ms: 2 }), nodes);
    const medium = new Medium(engine, topo, new Rng(77));
    const got: { to: number; from: number; at: number }[] = [];
    const failed: number[] = [];
    for (const n of nodes) {
      medium.attach(n.id, {
        arrive: (src) => {
          got.push({ to: n.id, from: src, at: engine.now });
          return true;
        },
        txFailed: (peer) => failed.push(peer),
      });
    }
    return { engine, medium, got, failed };
  }

  it('delivers a broadcast to every neighbour after the link latency', () => {
    const { engine, medium, got } = setup(0);
    engine.at(1000, () => medium.transmit(1, 0xffff, new Uint8Array(125)));
    engine.run(1e6);
    expect(got.map((g) => g.to)).toEqual([2, 3, 4, 5]);
    for (const g of got) expect(g.at).toBe(1000 + 2000 + 1000);
    expect(medium.stats.sent).toBe(1);
  });

  it('loses each copy independently at the configured rate', () => {
    const loss = 0.3;
    const { engine, medium, got } = setup(loss);
    const n = 4000;
    for (let i = 0; i < n; i++) engine.at(i * 10_000, () => medium.transmit(1, 0xffff, new Uint8Array(20)));
    engine.run(1e12);
    const copies = n * 4;
    const rate = medium.stats.lost.random / copies;
    expect(Math.abs(rate - loss)).toBeLessThan(0.02);
    expect(got.length + medium.stats.lost.random).toBe(copies);
    // Independence: how often all four neighbours miss the same frame matches loss^4.
    const perFrame = new Map<number, number>();
    for (const g of got) perFrame.set(g.at, (perFrame.get(g.at) ?? 0) + 1);
    const allLost = n - perFrame.size;
    expect(allLost / n).toBeLessThan(loss ** 4 * 3 + 0.005);
  });

  it('reports an unacknowledged unicast to an unreachable node', () => {
    const engine = new Engine();
    const topo = buildTopology(range({ range_m: 10 }), [
      { id: 1, board, pos: { x: 0, y: 0 } },
      { id: 2, board, pos: { x: 50, y: 0 } },
    ]);
    const medium = new Medium(engine, topo, new Rng(1));
    const failed: number[] = [];
    medium.attach(1, { arrive: () => true, txFailed: (p) => failed.push(p) });
    engine.at(0, () => medium.transmit(1, 2, new Uint8Array(20)));
    engine.run(1e6);
    expect(failed).toEqual([2]);
    expect(medium.stats.lost.unreachable).toBe(1);
  });
});
