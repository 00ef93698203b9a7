// Throughput bound of a step configuration: the largest steady input rate a cluster can keep up
// with when only computation is scarce. Each node runs one step at a time (one second of compute
// per second); sending and receiving overlap with computing, so they cost nothing here. A package
// needs every step once, and any node that has a step loaded may run it. docs/report-charts.md.
//
// The bound is max λ such that a split x[node][step] >= 0 exists with Σ_node x = λ for every step
// and Σ_step x·d_step <= 1 for every node. As a flow network (source → step with capacity λ·d,
// step → node where loaded with infinite capacity, node → sink with capacity 1), λ is feasible iff
// the maximum flow saturates the source, and by max-flow/min-cut iff |N(S)| >= λ·d(S) for every
// set S of steps, N(S) being the nodes with some step of S loaded. So
//
//     λ* = min over non-empty S of |N(S)| / d(S)
//
// found exactly by Dinkelbach's iteration: a max flow at a λ that is too high leaves a residual
// cut whose ratio is strictly smaller, and the ratios are finitely many, so it ends on λ* itself
// (computed as a ratio, not approached by bisection).

/** Which steps a node has loaded. */
export interface NodeSteps {
  id: number;
  steps: readonly number[];
}

export interface StepConfig {
  nodes: readonly NodeSteps[];
  /** Mean compute time of each pipeline step, seconds. A package needs every step listed. */
  stepSeconds: Readonly<Record<number, number>>;
}

export interface ThroughputBound {
  /** Largest sustainable input rate, packages per second. */
  rate: number;
  /** Busy fraction of each node (0..1) at `rate` under `assignment`. */
  perNode: Record<number, number>;
  /** Which nodes and steps saturate, in words. */
  bottleneck: string;
  /** A split achieving `rate`: packages per second of each loaded step run on each node. */
  assignment: Record<number, Record<number, number>>;
}

interface Problem {
  /** Node ids, ascending. */
  nodes: number[];
  /** Steps, ascending. */
  steps: number[];
  seconds: Map<number, number>;
  /** Loaded steps of each node that the pipeline uses, ascending. */
  loaded: Map<number, number[]>;
}

/** Bottleneck layer: steps whose loaders are all saturated at this layer's own rate. */
interface Layer {
  rate: number;
  steps: number[];
  nodes: number[];
}

export function throughputBound(config: StepConfig): ThroughputBound {
  const problem = validate(config);
  const layers = peelLayers(problem);
  const rate = layers[0].rate;
  const assignment = splitLayers(problem, layers, rate);
  const perNode: Record<number, number> = {};
  for (const id of problem.nodes) {
    let busy = 0;
    for (const [step, x] of Object.entries(assignment[id])) busy += x * problem.seconds.get(Number(step))!;
    perNode[id] = busy;
  }
  return { rate, perNode, bottleneck: describe(problem, layers), assignment };
}

function validate(config: StepConfig): Problem {
  if (!config || !Array.isArray(config.nodes) || config.nodes.length === 0) {
    throw new Error('throughput bound: no nodes given');
  }
  const entries = Object.entries(config.stepSeconds ?? {});
  if (entries.length === 0) throw new Error('throughput bound: no steps given (stepSeconds is empty)');
  const seconds = new Map<number, number>();
  for (const [key, d] of entries) {
    const step = Number(key);
    if (!Number.isInteger(step)) throw new Error(`throughput bound: step "${key}" is not an integer`);
    if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0) {
      throw new Error(`throughput bound: step ${step} has duration ${String(d)}; it must be a positive finite number of seconds`);
    }
    seconds.set(step, d);
  }
  const loaded = new Map<number, number[]>();
  for (const node of config.nodes) {
    if (!Number.isInteger(node.id)) throw new Error(`throughput bound: node id ${String(node.id)} is not an integer`);
    if (loaded.has(node.id)) throw new Error(`throughput bound: node id ${node.id} appears more than once`);
    for (const step of node.steps) {
      // A loaded step outside the pipeline is most likely a typo in the configuration.
      if (!seconds.has(step)) throw new Error(`throughput bound: node ${node.id} loads step ${step}, which has no duration in stepSeconds`);
    }
    loaded.set(node.id, [...new Set<number>(node.steps)].sort((a, b) => a - b));
  }
  const steps = [...seconds.keys()].sort((a, b) => a - b);
  const orphans = steps.filter((s) => ![...loaded.values()].some((l) => l.includes(s)));
  if (orphans.length > 0) {
    const list = orphans.join(', ');
    throw new Error(`throughput bound: step${orphans.length > 1 ? 's' : ''} ${list} ${orphans.length > 1 ? 'are' : 'is'} loaded on no node, so no package can finish (rate 0)`);
  }
  const nodes = [...loaded.keys()].sort((a, b) => a - b);
  return { nodes, steps, seconds, loaded };
}

// Peeling the critical set off and solving what remains gives a canonical split: nodes of the
// first layer are fully busy, each later layer runs as evenly loaded as its own bound allows,
// instead of whichever split a max flow happens to return.
function peelLayers(problem: Problem): Layer[] {
  const layers: Layer[] = [];
  let steps = problem.steps;
  let nodes = problem.nodes;
  while (steps.length > 0) {
    const { rate, critical } = minRatio(problem, steps, nodes);
    const inLayer = nodes.filter((n) => problem.loaded.get(n)!.some((s) => critical.includes(s)));
    // Later layers are never tighter (the remaining sets keep the ratio >= rate); the max only
    // absorbs rounding.
    layers.push({ rate: Math.max(rate, layers.at(-1)?.rate ?? 0), steps: critical, nodes: inLayer });
    steps = steps.filter((s) => !critical.includes(s));
    nodes = nodes.filter((n) => !inLayer.includes(n));
  }
  return layers;
}

/** λ* = min |N(S)| / d(S) over step sets S of the sub-problem, and a set S achieving it. */
function minRatio(problem: Problem, steps: number[], nodes: number[]): { rate: number; critical: number[] } {
  const ratio = (set: number[]) => loadersOf(problem, set, nodes).length / work(problem, set);
  // Any candidate set is an upper bound; the iteration only needs to start at or above λ*.
  let best = { rate: ratio(steps), critical: steps };
  for (const s of steps) {
    const r = ratio([s]);
    if (r < best.rate) best = { rate: r, critical: [s] };
  }
  for (let round = 0; round < 4 * (steps.length + nodes.length) + 16; round++) {
    const net = stepNetwork(problem, steps, nodes, best.rate);
    const flow = maxFlow(net.graph, net.source, net.sink, net.eps);
    if (flow >= net.demand - net.eps * (steps.length + 1)) return best;
    const seen = reachable(net.graph, net.source, net.eps);
    const cut = steps.filter((_, i) => seen[net.stepVertex(i)]);
    if (cut.length === 0) return best;
    const r = ratio(cut);
    // Rounding can make a tight cut look violated; only a strictly better ratio is progress.
    if (!(r < best.rate)) return best;
    best = { rate: r, critical: cut };
  }
  throw new Error('throughput bound: the ratio iteration did not settle (durations badly scaled?)');
}

function loadersOf(problem: Problem, steps: number[], nodes: number[]): number[] {
  return nodes.filter((n) => problem.loaded.get(n)!.some((s) => steps.includes(s)));
}

function work(problem: Problem, steps: number[]): number {
  return steps.reduce((sum, s) => sum + problem.seconds.get(s)!, 0);
}

interface StepNetwork {
  graph: Graph;
  source: number;
  sink: number;
  demand: number;
  eps: number;
  stepVertex: (i: number) => number;
  nodeVertex: (j: number) => number;
}

// Vertices: source 0, steps 1..S, nodes S+1..S+N, sink S+N+1. Capacities are in seconds of
// compute per second, so a node's is 1 whatever its steps.
function stepNetwork(problem: Problem, steps: number[], nodes: number[], rate: number): StepNetwork {
  const stepVertex = (i: number) => 1 + i;
  const nodeVertex = (j: number) => 1 + steps.length + j;
  const sink = 1 + steps.length + nodes.length;
  const graph = newGraph(sink + 1);
  let demand = 0;
  steps.forEach((s, i) => {
    const need = rate * problem.seconds.get(s)!;
    demand += need;
    addEdge(graph, 0, stepVertex(i), need);
    nodes.forEach((n, j) => {
      if (problem.loaded.get(n)!.includes(s)) addEdge(graph, stepVertex(i), nodeVertex(j), Infinity);
    });
  });
  nodes.forEach((_, j) => addEdge(graph, nodeVertex(j), sink, 1));
  return { graph, source: 0, sink, demand, eps: 1e-12 * Math.max(1, demand, nodes.length), stepVertex, nodeVertex };
}

/** Packages per second of each step on each node: every layer's flow, scaled to `rate`. */
function splitLayers(problem: Problem, layers: Layer[], rate: number): Record<number, Record<number, number>> {
  const assignment: Record<number, Record<number, number>> = {};
  for (const id of problem.nodes) {
    assignment[id] = {};
    for (const s of problem.loaded.get(id)!) assignment[id][s] = 0;
  }
  for (const layer of layers) {
    const net = stepNetwork(problem, layer.steps, layer.nodes, layer.rate);
    maxFlow(net.graph, net.source, net.sink, net.eps);
    layer.steps.forEach((s, i) => {
      const d = problem.seconds.get(s)!;
      const share = layer.nodes.map((_, j) => flowOn(net.graph, net.stepVertex(i), net.nodeVertex(j)) / d);
      // Renormalise so every step's shares add up to the rate exactly, not to rate·(1 - ε).
      const total = share.reduce((a, b) => a + b, 0);
      layer.nodes.forEach((n, j) => {
        if (share[j] > 0) assignment[n][s] = (share[j] / total) * rate;
      });
    });
  }
  return assignment;
}

function describe(problem: Problem, layers: Layer[]): string {
  const top = layers[0].rate;
  const tight = layers.filter((l) => l.rate <= top * (1 + 1e-9));
  const parts = tight.map((l) => {
    const d = work(problem, l.steps);
    return `${plural('node', l.nodes)} saturated by ${plural('step', l.steps)}: ${fmt(d)} s of compute per package over ${l.nodes.length} node-second${l.nodes.length === 1 ? '' : 's'} per second, ${l.nodes.length} / ${fmt(d)} = ${fmt(l.rate)} packages/s`;
  });
  const next = layers[tight.length];
  if (next) {
    parts.push(`next: ${plural('node', next.nodes)} (${plural('step', next.steps)}) at ${fmt((100 * top) / next.rate)}% busy, alone good for ${fmt(next.rate)} packages/s`);
  }
  return parts.join('; ');
}

function plural(word: string, ids: number[]): string {
  if (ids.length === 1) return `${word} ${ids[0]}`;
  return `${word}s ${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

/** Four significant digits, no exponent for the magnitudes met here, no trailing zeros. */
function fmt(v: number): string {
  return String(Number(v.toPrecision(4)));
}

// ---- Maximum flow (Dinic) on small dense graphs with real capacities -----------------------

interface Edge {
  to: number;
  cap: number;
  /** Index of the reverse edge in `graph[to]`. */
  rev: number;
  /** The capacity it was built with; 0 on reverse edges. */
  initial: number;
}

type Graph = Edge[][];

function newGraph(vertices: number): Graph {
  return Array.from({ length: vertices }, () => []);
}

function addEdge(graph: Graph, from: number, to: number, cap: number): void {
  graph[from].push({ to, cap, rev: graph[to].length, initial: cap });
  graph[to].push({ to: from, cap: 0, rev: graph[from].length - 1, initial: 0 });
}

function flowOn(graph: Graph, from: number, to: number): number {
  const e = graph[from].find((x) => x.to === to && x.initial > 0);
  // Infinite edges keep cap = Infinity, so their flow is read off the reverse edge instead.
  return e ? graph[to][e.rev].cap : 0;
}

/** Maximum flow; residual capacities at or below `eps` count as saturated. */
function maxFlow(graph: Graph, source: number, sink: number, eps: number): number {
  let total = 0;
  for (;;) {
    const level = levels(graph, source, eps);
    if (level[sink] < 0) return total;
    const next = new Array<number>(graph.length).fill(0);
    for (;;) {
      const pushed = augment(graph, source, sink, Infinity, level, next, eps);
      if (pushed <= eps) break;
      total += pushed;
    }
  }
}

function levels(graph: Graph, source: number, eps: number): number[] {
  const level = new Array<number>(graph.length).fill(-1);
  level[source] = 0;
  const queue = [source];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (const e of graph[v]) {
      if (e.cap > eps && level[e.to] < 0) {
        level[e.to] = level[v] + 1;
        queue.push(e.to);
      }
    }
  }
  return level;
}

function augment(graph: Graph, v: number, sink: number, limit: number, level: number[], next: number[], eps: number): number {
  if (v === sink) return limit;
  for (; next[v] < graph[v].length; next[v]++) {
    const e = graph[v][next[v]];
    if (e.cap <= eps || level[e.to] !== level[v] + 1) continue;
    const pushed = augment(graph, e.to, sink, Math.min(limit, e.cap), level, next, eps);
    if (pushed > eps) {
      e.cap -= pushed;
      graph[e.to][e.rev].cap += pushed;
      return pushed;
    }
  }
  return 0;
}

function reachable(graph: Graph, source: number, eps: number): boolean[] {
  return levels(graph, source, eps).map((l) => l >= 0);
}
