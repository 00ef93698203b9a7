// A module's call graph, from wasm-objdump's text: the proof that it cannot recurse, which
// lets the aot builds drop wasm2c's call-depth count (docs/native.md, "The call-depth count").
//
// Edges: every `call N` / `return_call N` to the function it names; every `call_indirect` /
// `return_call_indirect` to every function that can be in a table, i.e. every function named
// by an element segment or taken by `ref.func`. Imported functions are leaves: the host's HAL
// functions do not call back into the module. A cycle is recursion and the check refuses it;
// without one, the graph is a DAG and its longest path bounds the depth of any call.
//
// `parseCallGraph` and `checkCallGraph` are pure; `checkModule` runs wasm-objdump.

import { spawnSync } from 'node:child_process';

export interface CallGraph {
  /** Imported functions: indices 0 .. imports-1. */
  imports: number;
  /** Every function index the module has (imported and defined). */
  functions: number[];
  /** Names from the module's name section or imports, by index. */
  names: Map<number, string>;
  /** Direct callees of each defined function. */
  calls: Map<number, Set<number>>;
  /** Defined functions that contain a call_indirect. */
  indirectCallers: Set<number>;
  /** Functions a call_indirect can reach (element segments, ref.func), sorted. */
  tableTargets: number[];
}

export type CallGraphCheck =
  | {
      ok: true;
      /** Frames of module functions on the longest call chain (imports not counted). */
      depth: number;
      /** That chain, outermost first, as function labels (module functions only). */
      chain: string[];
    }
  | {
      ok: false;
      /** A cycle as labels, first = last; an indirect edge is marked "(call_indirect)". */
      cycle: string[];
      message: string;
    };

const FUNC_HEADER = /^\s*[0-9a-f]+ func\[(\d+)\](?: <(.*)>)?:\s*$/;
const CALL = /\|\s*(?:return_)?call (\d+)(?:\s|$)/;
const CALL_INDIRECT = /\|\s*(?:return_)?call_indirect\b/;
const REF_FUNC = /\|\s*ref\.func (\d+)(?:\s|$)/;
const IMPORT_FUNC = /^\s*- func\[(\d+)\] sig=\d+ <([^>]*)>/;
const ELEM_FUNC = /^\s*- elem\[\d+\] = (?:func\[(\d+)\]|ref\.func:(\d+))/;

/**
 * Builds the call graph from `wasm-objdump -d` (disassembly) and `wasm-objdump -x`
 * (section details: imports and element segments) of the same module.
 */
export function parseCallGraph(disassembly: string, details: string): CallGraph {
  const names = new Map<number, string>();
  const calls = new Map<number, Set<number>>();
  const indirectCallers = new Set<number>();
  const targets = new Set<number>();

  let imports = 0;
  let section = '';
  for (const line of details.split('\n')) {
    const head = /^([A-Za-z]+)(?:\[\d+\])?:/.exec(line);
    if (head) {
      section = head[1];
      continue;
    }
    if (section === 'Import') {
      const m = IMPORT_FUNC.exec(line);
      if (m) {
        const index = Number(m[1]);
        imports = Math.max(imports, index + 1);
        names.set(index, m[2]);
      }
    } else if (section === 'Elem') {
      const m = ELEM_FUNC.exec(line);
      if (m) targets.add(Number(m[1] ?? m[2]));
    }
  }

  let current = -1;
  for (const line of disassembly.split('\n')) {
    const head = FUNC_HEADER.exec(line);
    if (head) {
      current = Number(head[1]);
      if (head[2] !== undefined) names.set(current, head[2]);
      calls.set(current, new Set());
      continue;
    }
    if (current < 0) continue;
    const ref = REF_FUNC.exec(line);
    if (ref) targets.add(Number(ref[1]));
    if (CALL_INDIRECT.test(line)) {
      indirectCallers.add(current);
      continue;
    }
    const call = CALL.exec(line);
    if (call) calls.get(current)!.add(Number(call[1]));
  }

  const all = new Set<number>([...calls.keys()]);
  for (let i = 0; i < imports; i++) all.add(i);
  for (const callees of calls.values()) for (const c of callees) all.add(c);
  for (const t of targets) all.add(t);
  return {
    imports,
    functions: [...all].sort((a, b) => a - b),
    names,
    calls,
    indirectCallers,
    tableTargets: [...targets].sort((a, b) => a - b),
  };
}

/** A function as the check names it: `func[12] <name>`, or `func[12]` without a name. */
export function functionLabel(graph: CallGraph, index: number): string {
  const name = graph.names.get(index);
  return name === undefined ? `func[${index}]` : `func[${index}] <${name}>`;
}

interface Edge {
  to: number;
  indirect: boolean;
}

function edgesOf(graph: CallGraph, from: number): Edge[] {
  const edges: Edge[] = [];
  for (const to of graph.calls.get(from) ?? []) edges.push({ to, indirect: false });
  if (graph.indirectCallers.has(from)) {
    for (const to of graph.tableTargets) edges.push({ to, indirect: true });
  }
  return edges;
}

/**
 * Refuses a graph with a cycle (naming one), otherwise returns the longest call chain. The
 * depth counts frames of the module's own functions: imports are host code, not wasm2c output.
 */
export function checkCallGraph(graph: CallGraph): CallGraphCheck {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Map<number, number>();
  const depth = new Map<number, number>();
  const next = new Map<number, number>(); // deepest callee, for the chain
  const isImport = (f: number) => f < graph.imports;

  for (const root of graph.functions) {
    if ((colour.get(root) ?? WHITE) !== WHITE) continue;
    // Iterative depth-first search: each frame holds a function, its edges and a cursor.
    const stack: { fn: number; edges: Edge[]; i: number; via: boolean }[] = [];
    colour.set(root, GREY);
    stack.push({ fn: root, edges: edgesOf(graph, root), i: 0, via: false });
    while (stack.length) {
      const frame = stack[stack.length - 1];
      if (frame.i < frame.edges.length) {
        const edge = frame.edges[frame.i++];
        const c = colour.get(edge.to) ?? WHITE;
        if (c === GREY) {
          const start = stack.findIndex((f) => f.fn === edge.to);
          const cycle = stack.slice(start).map((f, k) => {
            const label = functionLabel(graph, f.fn);
            return k > 0 && f.via ? `${label} (call_indirect)` : label;
          });
          const back = functionLabel(graph, edge.to);
          cycle.push(edge.indirect ? `${back} (call_indirect)` : back);
          const kind = cycle.length === 2 ? 'calls itself' : 'recursion';
          return { ok: false, cycle, message: `${kind}: ${cycle.join(' -> ')}` };
        }
        if (c === WHITE) {
          colour.set(edge.to, GREY);
          stack.push({ fn: edge.to, edges: edgesOf(graph, edge.to), i: 0, via: edge.indirect });
        }
        continue;
      }
      // All callees finished: this function's depth is one frame more than its deepest.
      let best = 0;
      let bestCallee = -1;
      for (const { to } of frame.edges) {
        const d = depth.get(to) ?? 0;
        if (d > best) {
          best = d;
          bestCallee = to;
        }
      }
      depth.set(frame.fn, best + (isImport(frame.fn) ? 0 : 1));
      if (bestCallee >= 0) next.set(frame.fn, bestCallee);
      colour.set(frame.fn, BLACK);
      stack.pop();
    }
  }

  let top = -1;
  let max = 0;
  for (const f of graph.functions) {
    const d = depth.get(f) ?? 0;
    if (d > max) {
      max = d;
      top = f;
    }
  }
  const chain: string[] = [];
  for (let f = top; f >= 0; f = next.get(f) ?? -1) chain.push(functionLabel(graph, f));
  return { ok: true, depth: max, chain };
}

function objdump(wasm: string, flag: string): string {
  const r = spawnSync('wasm-objdump', [flag, wasm], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw new Error(`wasm-objdump: ${r.error.message} (install Debian package wabt)`);
  if (r.status !== 0) throw new Error(`wasm-objdump ${flag} ${wasm} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Runs wasm-objdump on a module and checks its call graph. */
export function checkModule(wasm: string): CallGraphCheck {
  return checkCallGraph(parseCallGraph(objdump(wasm, '-d'), objdump(wasm, '-x')));
}

/**
 * The defines a build of wasm2c's output of `wasm` gets for the call-depth count: with the
 * module proved recursion-free, `-DWASM_RT_USE_STACK_DEPTH_COUNT=0` (no counter); otherwise
 * none, so wasm-rt.h keeps counting, and `log` says why.
 */
export function stackDepthDefines(wasm: string, log: (line: string) => void = () => {}): string[] {
  const check = checkModule(wasm);
  if (check.ok) return ['-DWASM_RT_USE_STACK_DEPTH_COUNT=0'];
  log(`${wasm}: keeping wasm2c's call-depth count: ${check.message}`);
  return [];
}
