// Split planner: turns a Myco model into steps (contiguous layer ranges), one per node, that
// fit each node's Wasm memory budget and balance compute. A step's working memory is what the
// node program allocates for it at init (firmware/src/infer/exec/): the activation buffers of
// the tensors inside the step, a data buffer for the int32 arrays of one layer, a weight chunk
// buffer, and a table of the step's layers, on top of the node program's own heap top. Weights
// stay in flash (read with blob_read) and are reported, not counted. docs/steps.md.

import { ModelError } from './errors.ts';
import { NONE, Op, OPS, recordOf, tensorBytes, type MycoModel } from './format.ts';

/** The node's default `infer_chunk_bytes`: the weight chunk buffer unless one layer needs more. */
export const DEFAULT_CHUNK_BYTES = 4096;
/** Bytes per layer in the node's step table (firmware/src/infer/exec/layout.ts LAYER_ENTRY). */
export const LAYER_ENTRY_BYTES = 176;
/** Bytes in front of each activation buffer (room for a record header). */
export const ACT_HEADER_BYTES = 8;
/**
 * Allocations besides the table and the arena: the step state and the infer config objects
 * and the allocator's per-block overhead (the tests check the node stays below this).
 */
export const STEP_FIXED_BYTES = 256;

export interface BoardBudget {
  name: string;
  wasm_memory_budget: number;
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** Weight bytes one output channel (row) of a layer needs in the chunk buffer at once. */
export function weightUnit(model: MycoModel, layer: number): number {
  const l = model.layers[layer];
  if (!OPS[l.op].filter) return 0;
  const p = recordOf(l);
  if (l.op === Op.Conv2d) return p.filterH * p.filterW * p.filterC;
  if (l.op === Op.DepthwiseConv2d) return p.filterH * p.filterW;
  return p.inDepth;
}

/** The chunk buffer a node allocates for layers [first, last]: as the firmware computes it. */
export function chunkBytes(model: MycoModel, first: number, last: number, configured = DEFAULT_CHUNK_BYTES): number {
  let unit = 0;
  let largest = 0;
  for (let i = first; i <= last; i++) {
    const l = model.layers[i];
    unit = Math.max(unit, weightUnit(model, i));
    if (l.filterBlob !== NONE) largest = Math.max(largest, model.blobs[l.filterBlob].length);
  }
  return align(Math.max(unit, Math.min(configured, largest)), 8);
}

export interface StepMemory {
  /** Activation buffers (each with its header), bytes. */
  activations: number;
  /** Largest int32 data blob (bias, multipliers, shifts) of the step's layers. */
  data: number;
  /** Weight chunk buffer. */
  chunk: number;
  /** Layer table. */
  table: number;
  /** Fixed allocations (state objects, allocator overhead). */
  fixed: number;
  /** Sum of the above: what the step adds to the node's heap. */
  step: number;
  /** The node program's own heap top (default config). */
  node: number;
  /** node + step: the heap top the node reaches after init. */
  total: number;
}

/** Tensor read by layers [first, last] but produced before them (the step's input), or null when not exactly one. */
export function stepInput(model: MycoModel, first: number, last: number): number | null {
  const produced = new Set<number>();
  const outside = new Set<number>();
  for (let i = first; i <= last; i++) {
    for (const t of model.layers[i].inputs) if (!produced.has(t)) outside.add(t);
    produced.add(model.layers[i].output);
  }
  return outside.size === 1 ? [...outside][0] : null;
}

/** Working memory of a step of layers [first, last] (inclusive). */
export function stepMemory(model: MycoModel, first: number, last: number, nodeHeapTop: number, configuredChunk = DEFAULT_CHUNK_BYTES): StepMemory {
  const slotBytes = new Map<number, number>();
  const touch = (t: number) => {
    const s = model.tensors[t].slot;
    slotBytes.set(s, Math.max(slotBytes.get(s) ?? 0, tensorBytes(model.tensors[t])));
  };
  let data = 0;
  for (let i = first; i <= last; i++) {
    const l = model.layers[i];
    l.inputs.forEach(touch);
    touch(l.output);
    if (l.dataBlob !== NONE) data = Math.max(data, model.blobs[l.dataBlob].length);
  }
  const activations = [...slotBytes.values()].reduce((a, b) => a + ACT_HEADER_BYTES + align(b, 8), 0);
  data = align(data, 8);
  const chunk = chunkBytes(model, first, last, configuredChunk);
  const table = (last - first + 1) * LAYER_ENTRY_BYTES;
  const step = activations + data + chunk + table + STEP_FIXED_BYTES;
  return { activations, data, chunk, table, fixed: STEP_FIXED_BYTES, step, node: nodeHeapTop, total: nodeHeapTop + step };
}

/**
 * Why no step may end before layer `k` (a cut between layers k-1 and k), or null when one may:
 * the only tensor crossing the cut must be layer k-1's output.
 */
export function cutProblem(model: MycoModel, k: number): string | null {
  if (!Number.isInteger(k) || k < 1 || k >= model.layers.length) return `cut ${k} is outside 1..${model.layers.length - 1}`;
  const producedBefore = new Set<number>([model.input]);
  for (let i = 0; i < k; i++) producedBefore.add(model.layers[i].output);
  const crossing = new Set<number>();
  for (let i = k; i < model.layers.length; i++) for (const t of model.layers[i].inputs) if (producedBefore.has(t)) crossing.add(t);
  const last = model.layers[k - 1].output;
  if (crossing.size !== 1 || !crossing.has(last)) {
    return `cut ${k}: ${crossing.size} tensors cross it (${[...crossing].join(', ')}); a step boundary must carry exactly layer ${k - 1}'s output`;
  }
  return null;
}

export interface PlannedStep {
  index: number;
  board: string;
  budget: number;
  first: number;
  last: number;
  macs: number;
  /** Weights blob and data blob bytes read from flash (not in RAM). */
  weightBytes: number;
  memory: StepMemory;
  /** Bytes of the step's input and output tensors (what crosses its cuts). */
  inputBytes: number;
  outputBytes: number;
}

export interface SplitPlan {
  steps: PlannedStep[];
  /** Cut points: step k+1 starts at layer cuts[k]. */
  cuts: number[];
  /** Activation bytes crossing each cut. */
  crossing: number[];
  maxMacs: number;
  totalMacs: number;
}

export interface SplitOptions {
  /** Explicit cut points (layer indices where a new step starts), one fewer than the nodes. */
  at?: number[];
  /** The node program's heap top after init with its default config. */
  nodeHeapTop: number;
  chunkBytes?: number;
}

function describeStep(model: MycoModel, boards: BoardBudget[], k: number, first: number, last: number, opts: SplitOptions): PlannedStep {
  const layers = model.layers.slice(first, last + 1);
  const blobBytes = (id: number) => (id === NONE ? 0 : model.blobs[id].length);
  const input = first === 0 ? model.input : model.layers[first - 1].output;
  return {
    index: k,
    board: boards[k].name,
    budget: boards[k].wasm_memory_budget,
    first,
    last,
    macs: layers.reduce((a, l) => a + l.macs, 0),
    weightBytes: layers.reduce((a, l) => a + blobBytes(l.filterBlob) + blobBytes(l.dataBlob), 0),
    memory: stepMemory(model, first, last, opts.nodeHeapTop, opts.chunkBytes),
    inputBytes: tensorBytes(model.tensors[input]),
    outputBytes: tensorBytes(model.tensors[model.layers[last].output]),
  };
}

function finish(model: MycoModel, boards: BoardBudget[], cuts: number[], opts: SplitOptions): SplitPlan {
  const bounds = [0, ...cuts, model.layers.length];
  const steps = boards.map((_, k) => describeStep(model, boards, k, bounds[k], bounds[k + 1] - 1, opts));
  return {
    steps,
    cuts,
    crossing: cuts.map((c) => tensorBytes(model.tensors[model.layers[c - 1].output])),
    maxMacs: Math.max(...steps.map((s) => s.macs)),
    totalMacs: steps.reduce((a, s) => a + s.macs, 0),
  };
}

/** Plans (or, with `at`, checks) a split of `model` into one step per board, in order. */
export function planSplit(model: MycoModel, boards: BoardBudget[], opts: SplitOptions): SplitPlan {
  const L = model.layers.length;
  const N = boards.length;
  if (N < 1) throw new ModelError('no nodes to split the model over');
  if (model.layers[L - 1].output !== model.output) throw new ModelError(`the model's output is not its last layer's output; it cannot be split`);
  if (N > L) throw new ModelError(`${N} nodes but only ${L} layers: every step needs at least one layer`);
  const fits = (k: number, first: number, last: number) => stepMemory(model, first, last, opts.nodeHeapTop, opts.chunkBytes).total <= boards[k].wasm_memory_budget;

  if (opts.at) {
    const cuts = opts.at;
    if (cuts.length !== N - 1) throw new ModelError(`${cuts.length} cut points for ${N} nodes; give ${N - 1} (a step starts at each cut)`);
    cuts.forEach((c, i) => {
      const problem = cutProblem(model, c);
      if (problem) throw new ModelError(problem);
      if (i > 0 && c <= cuts[i - 1]) throw new ModelError(`cut points must increase: ${cuts[i - 1]} then ${c}`);
    });
    const plan = finish(model, boards, cuts, opts);
    const over = plan.steps.filter((s) => s.memory.total > s.budget);
    if (over.length) {
      throw new ModelError(over.map((s) =>
        `step ${s.index} (layers ${s.first}..${s.last}) needs ${s.memory.total} bytes on board ${s.board} (budget ${s.budget}): ${s.memory.total - s.budget} bytes over`).join('; '));
    }
    return plan;
  }

  // A single layer no board can hold makes every split impossible.
  for (let i = 0; i < L; i++) {
    if (!boards.some((_, k) => fits(k, i, i))) {
      const m = stepMemory(model, i, i, opts.nodeHeapTop, opts.chunkBytes).total;
      const best = Math.max(...boards.map((b) => b.wasm_memory_budget));
      throw new ModelError(`layer ${i} (${OPS[model.layers[i].op].name}) alone needs ${m} bytes of working memory, more than any node's budget (largest ${best}, ${m - best} bytes short); the model cannot be split over these nodes`);
    }
  }

  // dp[k][j]: best (largest step MACs, crossing bytes) for layers [0, j) on boards 0..k-1.
  const macsPrefix = [0];
  for (const l of model.layers) macsPrefix.push(macsPrefix[macsPrefix.length - 1] + l.macs);
  const cutOk = Array.from({ length: L + 1 }, (_, j) => j === 0 || j === L || cutProblem(model, j) === null);
  type Cell = { max: number; cross: number; prev: number } | null;
  const dp: Cell[][] = Array.from({ length: N + 1 }, () => Array<Cell>(L + 1).fill(null));
  dp[0][0] = { max: 0, cross: 0, prev: -1 };
  const better = (a: Cell, max: number, cross: number) => a === null || max < a.max || (max === a.max && cross < a.cross);
  for (let k = 1; k <= N; k++) {
    for (let j = k; j <= L - (N - k); j++) {
      if (!cutOk[j]) continue;
      for (let i = k - 1; i < j; i++) {
        const from = dp[k - 1][i];
        if (from === null || !fits(k - 1, i, j - 1)) continue;
        const max = Math.max(from.max, macsPrefix[j] - macsPrefix[i]);
        const cross = from.cross + (j < L ? tensorBytes(model.tensors[model.layers[j - 1].output]) : 0);
        if (better(dp[k][j], max, cross)) dp[k][j] = { max, cross, prev: i };
      }
    }
  }
  if (dp[N][L] === null) {
    throw new ModelError(`no split of the ${L} layers into ${N} steps fits the nodes' budgets (${boards.map((b) => `${b.name} ${b.wasm_memory_budget}`).join(', ')}); try more or larger nodes`);
  }
  const cuts: number[] = [];
  for (let k = N, j = L; k > 1; k--) {
    j = dp[k][j]!.prev;
    cuts.unshift(j);
  }
  return finish(model, boards, cuts, opts);
}

/** The node config (by tools/wire/config.ts names) that makes a node run step `s` of a model held in blob `blob`. */
export function stepConfig(s: PlannedStep, blob: number): Record<string, number> {
  return { infer_step: 1, infer_model_blob: blob, infer_first_layer: s.first, infer_last_layer: s.last };
}

/** Board names as `--nodes` takes them: a board descriptor's name, or `rp2040` for the RP2040 Elastic Node. */
export const BOARD_ALIASES: Record<string, string> = { rp2040: 'elasticnode-v5' };

const count = (n: number) => n.toLocaleString('en-US');

/** The plan as a table: per step its layers, MACs, weights, working memory against the budget. */
export function splitText(model: MycoModel, plan: SplitPlan, file: string): string {
  const head = ['step', 'board', 'layers', 'MACs', 'share', 'weights (flash)', 'working memory', 'budget', 'free', 'in -> out bytes'];
  const rows = plan.steps.map((s) => [
    `${s.index}`, s.board, `${s.first}..${s.last}`, count(s.macs), `${((100 * s.macs) / plan.totalMacs).toFixed(1)}%`,
    count(s.weightBytes), count(s.memory.total), count(s.budget), count(s.budget - s.memory.total),
    `${count(s.inputBytes)} -> ${count(s.outputBytes)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [
    `${file}: ${model.layers.length} layers, ${count(plan.totalMacs)} MACs over ${plan.steps.length} steps; largest step ${count(plan.maxMacs)} MACs`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `cuts at layers ${plan.cuts.length ? plan.cuts.join(',') : '(none)'}; activation bytes crossing each: ${plan.crossing.length ? plan.crossing.map(count).join(', ') : '-'}`,
    `working memory = node heap top ${count(plan.steps[0].memory.node)} + activation buffers + data buffer + weight chunk buffer + layer table + ${STEP_FIXED_BYTES} fixed`,
    ...plan.steps.map((s) => `  step ${s.index}: activations ${count(s.memory.activations)}, data ${count(s.memory.data)}, chunk ${count(s.memory.chunk)}, table ${count(s.memory.table)}`),
    '',
  ].join('\n');
}
