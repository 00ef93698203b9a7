// Throughput bound of a step configuration (tools/orch/bound.ts, docs/report-charts.md): hand
// computed cases, the paper-like five-node cluster, the refusals, and random small instances
// checked against two independent methods.

import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from './helpers/random.ts';
import { throughputBound, type StepConfig, type ThroughputBound } from '../tools/orch/bound.ts';

/** Every node within its one second per second, every step served at exactly `rate`. */
function expectFeasible(config: StepConfig, bound: ThroughputBound): void {
  for (const node of config.nodes) {
    let busy = 0;
    for (const [step, x] of Object.entries(bound.assignment[node.id])) {
      expect(node.steps).toContain(Number(step));
      expect(x).toBeGreaterThanOrEqual(0);
      busy += x * config.stepSeconds[Number(step)];
    }
    expect(busy).toBeLessThanOrEqual(1 + 1e-9);
    expect(bound.perNode[node.id]).toBeCloseTo(busy, 12);
  }
  for (const step of Object.keys(config.stepSeconds)) {
    const served = config.nodes.reduce((sum, n) => sum + (bound.assignment[n.id][Number(step)] ?? 0), 0);
    expect(served).toBeCloseTo(bound.rate, 9);
  }
}

describe('throughput bound: hand-computed cases', () => {
  it('one node with every step runs them back to back: rate = 1 / Σd', () => {
    const config = { nodes: [{ id: 7, steps: [1, 2, 3] }], stepSeconds: { 1: 0.1, 2: 0.2, 3: 0.2 } };
    const b = throughputBound(config);
    expect(b.rate).toBeCloseTo(1 / 0.5, 12);
    expect(b.perNode[7]).toBeCloseTo(1, 12);
    expect(b.assignment[7]).toEqual({ 1: b.rate, 2: b.rate, 3: b.rate });
    expect(b.bottleneck).toContain('node 7');
    expectFeasible(config, b);
  });

  it('two nodes sharing one step split it evenly: rate = 2 / d', () => {
    const config = { nodes: [{ id: 1, steps: [1] }, { id: 2, steps: [1] }], stepSeconds: { 1: 0.25 } };
    const b = throughputBound(config);
    expect(b.rate).toBeCloseTo(8, 12);
    expect(b.assignment[1][1] + b.assignment[2][1]).toBeCloseTo(8, 12);
    expect(b.perNode[1]).toBeCloseTo(1, 12);
    expect(b.perNode[2]).toBeCloseTo(1, 12);
    expectFeasible(config, b);
  });

  it('a shared step tops up the node that also has a private step', () => {
    // Node 1 must run all of step 1 (0.2 s); step 2 (0.6 s) is shared. Both saturate when
    // 0.2λ + 0.6λ = 2, so λ = 2.5; node 1 runs step 2 at (1 - 0.5) / 0.6 = 5/6 per second.
    const config = { nodes: [{ id: 1, steps: [1, 2] }, { id: 2, steps: [2] }], stepSeconds: { 1: 0.2, 2: 0.6 } };
    const b = throughputBound(config);
    expect(b.rate).toBeCloseTo(2.5, 12);
    expect(b.assignment[1][2]).toBeCloseTo(5 / 6, 12);
    expect(b.assignment[2][2]).toBeCloseTo(5 / 3, 12);
    expectFeasible(config, b);
  });

  it('a node that is never needed stays idle and is not named as a bottleneck', () => {
    const config = {
      nodes: [{ id: 1, steps: [1] }, { id: 2, steps: [2] }, { id: 3, steps: [] }],
      stepSeconds: { 1: 0.5, 2: 0.1 },
    };
    const b = throughputBound(config);
    expect(b.rate).toBeCloseTo(2, 12);
    expect(b.perNode).toEqual({ 1: 1, 2: expect.closeTo(0.2, 12), 3: 0 });
    expect(b.assignment[3]).toEqual({});
    expect(b.bottleneck).toMatch(/^node 1 saturated by step 1: .* = 2 packages\/s; next: node 2 \(step 2\) at 20% busy/);
    expectFeasible(config, b);
  });
});

describe('throughput bound: the paper-like five-node cluster (DATOR §4, Figure 3)', () => {
  // Node 1 feeds (step 1) and uploads (step 6); inference steps 2..5 as in the paper: step 2 on
  // nodes 2 and 5, step 3 on node 5, step 4 on nodes 5 and 3, step 5 on node 4 alone. The paper's
  // text gives no numeric durations here, so these mimic its description: the first convolution
  // block and the classifier are the heavy ones.
  //
  //   d = { 1: 0.05, 2: 0.5, 3: 0.1, 4: 0.2, 5: 0.25, 6: 0.05 } s
  //
  // Single-node limits: node 1 runs 1 and 6 for every package, 0.1 s → 10/s; node 4 runs all of
  // step 5, 0.25 s → 4/s; node 3 could take all of step 4, 0.2 s → 5/s. Step 3 only fits on
  // node 5, and step 2 only on nodes 2 and 5, so the set {2, 3} needs 0.5 + 0.1 = 0.6 s per
  // package from nodes {2, 5}: λ <= 2 / 0.6 = 10/3 ≈ 3.333/s, the minimum over all step sets
  // ({2,3,4} gives 3 / 0.8 = 3.75, {5} gives 4, {2} gives 4, ...). At λ = 10/3 node 5 runs step 3
  // (1/3 busy) and 4/3 packages/s of step 2 (2/3 busy); node 2 runs the other 2/s; node 3 runs all
  // of step 4 (2/3 busy); node 4 is 0.25 · 10/3 = 5/6 busy; node 1 is 1/3 busy.
  const config: StepConfig = {
    nodes: [
      { id: 1, steps: [1, 6] },
      { id: 2, steps: [2] },
      { id: 5, steps: [2, 3, 4] },
      { id: 3, steps: [4] },
      { id: 4, steps: [5] },
    ],
    stepSeconds: { 1: 0.05, 2: 0.5, 3: 0.1, 4: 0.2, 5: 0.25, 6: 0.05 },
  };

  it('is 10/3 packages/s, limited by nodes 2 and 5 running steps 2 and 3', () => {
    const b = throughputBound(config);
    expect(b.rate).toBeCloseTo(10 / 3, 12);
    expect(b.perNode[1]).toBeCloseTo(1 / 3, 12);
    expect(b.perNode[2]).toBeCloseTo(1, 12);
    expect(b.perNode[3]).toBeCloseTo(2 / 3, 12);
    expect(b.perNode[4]).toBeCloseTo(5 / 6, 12);
    expect(b.perNode[5]).toBeCloseTo(1, 12);
    expect(b.assignment[2][2]).toBeCloseTo(2, 12);
    expect(b.assignment[5][2]).toBeCloseTo(4 / 3, 12);
    expect(b.assignment[5][3]).toBeCloseTo(10 / 3, 12);
    expect(b.assignment[5][4]).toBeCloseTo(0, 12);
    expect(b.assignment[3][4]).toBeCloseTo(10 / 3, 12);
    expect(b.bottleneck).toBe(
      'nodes 2 and 5 saturated by steps 2 and 3: 0.6 s of compute per package over 2 node-seconds per second, ' +
        '2 / 0.6 = 3.333 packages/s; next: node 4 (step 5) at 83.33% busy, alone good for 4 packages/s',
    );
    expectFeasible(config, b);
  });

  it('moves to node 4 once step 2 gets a third loader', () => {
    const more = { ...config, nodes: [...config.nodes, { id: 6, steps: [2] }] };
    const b = throughputBound(more);
    expect(b.rate).toBeCloseTo(4, 12);
    expect(b.bottleneck).toMatch(/^node 4 saturated by step 5/);
    expectFeasible(more, b);
  });
});

describe('throughput bound: refusals', () => {
  const ok = { nodes: [{ id: 1, steps: [1] }], stepSeconds: { 1: 0.1 } };

  it('names a step no node has loaded', () => {
    expect(() => throughputBound({ nodes: [{ id: 1, steps: [1] }], stepSeconds: { 1: 0.1, 3: 0.2 } })).toThrow(
      /step 3 is loaded on no node/,
    );
    expect(() => throughputBound({ nodes: [{ id: 1, steps: [] }], stepSeconds: { 2: 0.1, 3: 0.2 } })).toThrow(
      /steps 2, 3 are loaded on no node/,
    );
  });

  it('refuses non-positive and non-finite durations', () => {
    for (const d of [0, -0.1, NaN, Infinity]) {
      expect(() => throughputBound({ ...ok, stepSeconds: { 1: d } })).toThrow(/step 1 has duration .*positive finite/);
    }
  });

  it('refuses empty input', () => {
    expect(() => throughputBound({ nodes: [], stepSeconds: { 1: 0.1 } })).toThrow(/no nodes/);
    expect(() => throughputBound({ nodes: ok.nodes, stepSeconds: {} })).toThrow(/no steps/);
  });

  it('refuses duplicate node ids', () => {
    expect(() => throughputBound({ nodes: [{ id: 4, steps: [1] }, { id: 4, steps: [1] }], stepSeconds: { 1: 0.1 } })).toThrow(
      /node id 4 appears more than once/,
    );
  });

  it('refuses a loaded step outside the pipeline', () => {
    expect(() => throughputBound({ nodes: [{ id: 1, steps: [1, 9] }], stepSeconds: { 1: 0.1 } })).toThrow(
      /node 1 loads step 9, which has no duration/,
    );
  });
});

// ---- Random small instances ----------------------------------------------------------------


function randomConfig(random: () => number, maxNodes: number, maxSteps: number): StepConfig {
  const nSteps = 1 + Math.floor(random() * maxSteps);
  const nNodes = 1 + Math.floor(random() * maxNodes);
  const stepSeconds: Record<number, number> = {};
  for (let s = 1; s <= nSteps; s++) stepSeconds[s] = Math.round((0.01 + random()) * 100) / 100;
  const nodes = Array.from({ length: nNodes }, (_, i) => ({
    id: 10 + i,
    steps: [...Array(nSteps).keys()].map((k) => k + 1).filter(() => random() < 0.45),
  }));
  // Every step needs a loader, or the instance is a refusal rather than a bound.
  for (let s = 1; s <= nSteps; s++) {
    if (!nodes.some((n) => n.steps.includes(s))) nodes[Math.floor(random() * nNodes)].steps.push(s);
  }
  return { nodes, stepSeconds };
}

/** Hall's condition by enumeration: min over every non-empty step set S of |N(S)| / d(S). */
function hallBound(config: StepConfig): number {
  const steps = Object.keys(config.stepSeconds).map(Number);
  let best = Infinity;
  for (let mask = 1; mask < 1 << steps.length; mask++) {
    const set = steps.filter((_, i) => mask & (1 << i));
    const d = set.reduce((sum, s) => sum + config.stepSeconds[s], 0);
    const loaders = config.nodes.filter((n) => n.steps.some((s) => set.includes(s))).length;
    best = Math.min(best, loaders / d);
  }
  return best;
}

/**
 * Grid search over splits for instances of two nodes: every step loaded on both is split as
 * k/G on the first, the rest forced; the rate is what the busier node allows. A lower bound that
 * approaches the optimum as G grows, with no flow or cut reasoning in it.
 */
function gridBound(config: StepConfig, G: number): number {
  const [a, b] = config.nodes;
  const steps = Object.keys(config.stepSeconds).map(Number);
  const shared = steps.filter((s) => a.steps.includes(s) && b.steps.includes(s));
  let best = 0;
  const shares = new Array<number>(shared.length).fill(0);
  const visit = (i: number): void => {
    if (i === shared.length) {
      let busyA = 0;
      let busyB = 0;
      for (const s of steps) {
        const d = config.stepSeconds[s];
        const j = shared.indexOf(s);
        const onA = j >= 0 ? shares[j] : a.steps.includes(s) ? 1 : 0;
        busyA += onA * d;
        busyB += (1 - onA) * d;
      }
      best = Math.max(best, 1 / Math.max(busyA, busyB));
      return;
    }
    for (let k = 0; k <= G; k++) {
      shares[i] = k / G;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

describe('throughput bound: random small instances', () => {
  it('matches Hall-condition enumeration and yields a feasible split (200 instances, seed 1)', () => {
    const random = rng(1);
    for (let k = 0; k < 200; k++) {
      const config = randomConfig(random, 5, 6);
      const b = throughputBound(config);
      expect(b.rate).toBeCloseTo(hallBound(config), 9);
      expectFeasible(config, b);
      // The nodes named first are the ones with no slack.
      const named = b.bottleneck.match(/^nodes? ([\d, and]+) saturated/)![1].match(/\d+/g)!.map(Number);
      for (const id of named) expect(b.perNode[id]).toBeCloseTo(1, 9);
    }
  });

  it('is approached from below by a grid over splits on two nodes (60 instances, seed 2)', () => {
    const random = rng(2);
    const G = 40;
    for (let k = 0; k < 60; k++) {
      let config = randomConfig(random, 2, 3);
      while (config.nodes.length !== 2) config = randomConfig(random, 2, 3);
      const b = throughputBound(config);
      const grid = gridBound(config, G);
      expect(grid).toBeLessThanOrEqual(b.rate * (1 + 1e-12));
      // Moving one step's split by at most 1/(2G) costs at most that share of its duration.
      const slack = Object.values(config.stepSeconds).reduce((s, d) => s + d, 0) / (2 * G);
      expect(1 / grid - 1 / b.rate).toBeLessThanOrEqual(slack + 1e-12);
    }
  });
});
