// Scenario text -> a checked Scenario: YAML syntax, then the schema, then the checks a
// schema cannot express (ids, references, time windows, boards). All problems found are
// reported together, each as file:line:column: field: message.

import type { SensorFeedSpec } from '../sensors.ts';
import type { PackageFeed } from '../packages.ts';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { scenarioSchema, type RawConfig, type RawGenerator, type RawNode, type RawOutage, type RawScenario } from './schema.ts';
import { ScenarioError, ScenarioSource, type FieldPath, type Issue } from './source.ts';
import { parseDuration, formatDuration, DURATION_PATTERN } from '../duration.ts';
import { didYouMean, pointerSegments } from '../schema-errors.ts';
import { CONFIG_KEYS, configValueProblem, isArrayKey, type ConfigKey, type NodeConfig } from '../../tools/wire/config.ts';
import type { BoardSet } from '../boards.ts';
import type { MediumSpec } from '../topology.ts';
import type { Point } from '../link.ts';
import type { Outage } from '../simulation.ts';
import { BUILD_DIR } from '../paths.ts';

export interface ScenarioNode {
  id: number;
  board: string;
  config: NodeConfig;
  /** Absent for generated nodes until placement, and for nodes of a links medium. */
  pos?: Point;
  outages: Outage[];
}

export interface ScenarioGenerator {
  ids: number[];
  area: { width: number; height: number };
  connected: boolean;
  /** file:line:col of the generator, for placement errors found later. */
  where: string;
}

export interface Scenario {
  file: string;
  name: string;
  description?: string;
  seed: number;
  /** Microseconds. */
  duration: number;
  /** Absolute path of the node program. */
  program: string;
  bootJitter: number;
  medium: MediumSpec;
  nodes: ScenarioNode[];
  generators: ScenarioGenerator[];
  /** Routed pings the host submits (microseconds). */
  pings: PingSpec[];
  /** Work packages fed in at a node (packages.ts), microseconds. */
  packages: PackageFeed[];
  /** The HERMES comparison report (hermes.ts), if asked for. */
  hermes?: HermesSpec;
  /** Fusion sensors (sensors.ts), if any. */
  sensors?: SensorFeedSpec;
}

export interface PingSpec {
  from: number;
  to: number;
  every: number;
  start: number;
  /** No ping is submitted from this time on (Infinity: until the end of the run). */
  stop: number;
}

export interface HermesSpec {
  /** The node whose traffic is measured (the tree's root). */
  root: number;
  /** Microseconds: start of the steady-state window for bytes per second (it ends with the run). */
  steadyFrom: number;
}

export const DEFAULT_BOARD = 'esp32';
export const DEFAULT_PROGRAM = 'node';
export const DEFAULT_BOOT_JITTER = '100ms';
export const DEFAULT_SEED = 1;

const validateSchema = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(scenarioSchema);

function ajvIssue(e: ErrorObject): Issue | null {
  const path: FieldPath = pointerSegments(e.instancePath);
  const config = configIssue(e, path);
  if (config) return config;
  switch (e.keyword) {
    case 'if':
      return null; // the branch it chose reports the real problem
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      return { path, key: field, message: `unknown field${didYouMean(field, known)}` };
    }
    case 'required':
      return { path, message: `missing required field "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'type':
      return { path, message: `expected ${(e.params as { type: string }).type}` };
    case 'enum':
      return { path, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'pattern':
      if (e.schema === DURATION_PATTERN) return { path, message: 'expected a duration such as 500ms, 60s or 2m' };
      return { path, message: `must match ${e.schema}` };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}

/**
 * A schema error in a config block (`...config.<key>` or `...config.<key>[i]`) in the config
 * table's words: a list where one integer belongs or the reverse, the entry count of a `u32[]`
 * key, an entry out of range. Null for anything else, which ajvIssue words as usual.
 */
function configIssue(e: ErrorObject, path: FieldPath): Issue | null {
  const at = path.lastIndexOf('config');
  if (at < 0 || path.length < at + 2 || path.length > at + 3) return null;
  const name = path[at + 1];
  const spec = typeof name === 'string' ? (CONFIG_KEYS as Record<string, ConfigKey>)[name] : undefined;
  if (!spec) return null;
  if (path.length === at + 3) {
    if (!isArrayKey(spec) || !['type', 'minimum', 'maximum'].includes(e.keyword)) return null;
    return { path, message: `entry ${JSON.stringify(e.data)} of ${name} must be an integer ${spec.min}..${spec.max}` };
  }
  if (isArrayKey(spec) ? ['type', 'minItems', 'maxItems'].includes(e.keyword) : e.keyword === 'type' && Array.isArray(e.data)) {
    const problem = configValueProblem(name as string, e.data);
    if (problem) return { path, message: problem };
  }
  return null;
}

export interface ValidateOptions {
  boards: BoardSet;
  /** Directory program paths are relative to (the scenario file's, by default). */
  baseDir?: string;
}

/** Parses and checks scenario text; throws ScenarioError listing every problem. */
export function parseScenario(file: string, text: string, opts: ValidateOptions): Scenario {
  const src = new ScenarioSource(file, text);
  const syntax = src.syntaxErrors();
  if (syntax.length) throw new ScenarioError(syntax);
  const data = src.doc.toJS() as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ScenarioError([`${file}:1:1: a scenario is a mapping of fields (name, duration, nodes, ...)`]);
  }
  if (!validateSchema(data)) {
    const issues = (validateSchema.errors ?? []).map(ajvIssue).filter((i): i is Issue => i !== null);
    throw new ScenarioError(report(src, issues));
  }
  const issues: Issue[] = [];
  const scenario = check(data as unknown as RawScenario, src, opts, issues);
  if (issues.length) throw new ScenarioError(report(src, issues));
  return scenario;
}

/** Sorted by position, duplicates removed (ajv can report one problem twice via if/else). */
function report(src: ScenarioSource, issues: Issue[]): string[] {
  const sorted = [...issues].sort((a, b) => src.line(a) - src.line(b));
  return [...new Set(sorted.map((i) => src.format(i)))];
}

function check(raw: RawScenario, src: ScenarioSource, opts: ValidateOptions, issues: Issue[]): Scenario {
  const fail = (path: FieldPath, message: string) => issues.push({ path, message });
  const duration = parseDuration(raw.duration)!;
  if (duration <= 0) fail(['duration'], 'must be longer than 0');
  // Where each outage was written, so an overlap found later can point at it.
  const outagePaths = new Map<Outage, FieldPath>();
  const addOutage = (node: ScenarioNode, o: RawOutage, path: FieldPath) => {
    const outage = parseOutage(o, path, duration, fail);
    node.outages.push(outage);
    outagePaths.set(outage, path);
  };

  const boardOk = (name: string, path: FieldPath) => {
    if (!opts.boards.has(name)) {
      fail(path, `unknown board "${name}"${didYouMean(name, opts.boards.keys())} (known: ${[...opts.boards.keys()].join(', ')})`);
    }
  };
  const defaultBoard = raw.defaults?.board ?? DEFAULT_BOARD;
  if (raw.defaults?.board) boardOk(raw.defaults.board, ['defaults', 'board']);
  const baseConfig = raw.defaults?.config ?? {};
  checkConfigBlock(baseConfig, ['defaults', 'config'], fail);

  const medium: MediumSpec = {
    kind: raw.medium?.kind ?? 'range',
    range_m: raw.medium?.range_m,
    base_latency_ms: raw.medium?.base_latency_ms,
    bandwidth_bps: raw.medium?.bandwidth_bps,
    loss: raw.medium?.loss ?? 0,
    links: raw.medium?.links ?? [],
  };
  if (raw.medium?.hop_latency_ms !== undefined) medium.hop_latency_ms = raw.medium.hop_latency_ms;
  if (raw.medium?.jitter_ms !== undefined) medium.jitter_ms = raw.medium.jitter_ms;
  checkWifiMedium(raw, fail);
  /** On a wifi medium every node needs a board with Wi-Fi. */
  const wifiOk = (name: string, path: FieldPath) => {
    const board = opts.boards.get(name);
    if (medium.kind === 'wifi' && board && !board.wifi) {
      fail(path, `board "${name}" has no Wi-Fi (no "wifi" block in its descriptor); a wifi medium needs one on every node`);
    }
  };
  const positioned = medium.kind === 'range' || medium.kind === 'wifi';

  // Explicit nodes first, so generated nodes can take the ids nobody claimed.
  const nodes: ScenarioNode[] = [];
  const byId = new Map<number, ScenarioNode>();
  const seenAt = new Map<number, number>();
  raw.nodes.forEach((entry, i) => {
    if ('random' in entry) return;
    const n = entry as RawNode;
    if (seenAt.has(n.id)) fail(['nodes', i, 'id'], `duplicate node id ${n.id} (first used by nodes[${seenAt.get(n.id)}])`);
    seenAt.set(n.id, i);
    const board = n.board ?? defaultBoard;
    if (n.board) boardOk(n.board, ['nodes', i, 'board']);
    wifiOk(board, n.board ? ['nodes', i, 'board'] : raw.defaults?.board ? ['defaults', 'board'] : ['nodes', i]);
    if (positioned && !n.pos) fail(['nodes', i], `needs "pos: [x, y]" (metres) because the medium is a ${medium.kind} medium`);
    const node: ScenarioNode = {
      id: n.id,
      board,
      config: mergeConfig(baseConfig, n.config, ['nodes', i, 'config'], fail),
      pos: n.pos ? { x: n.pos[0], y: n.pos[1] } : undefined,
      outages: [],
    };
    (n.outages ?? []).forEach((o, j) => addOutage(node, o, ['nodes', i, 'outages', j]));
    nodes.push(node);
    if (!byId.has(n.id)) byId.set(n.id, node);
  });

  const generators: ScenarioGenerator[] = [];
  let nextId = 1;
  raw.nodes.forEach((entry, i) => {
    if (!('random' in entry)) return;
    const g = (entry as RawGenerator).random;
    if (!positioned) fail(['nodes', i, 'random'], 'random placement needs a range or wifi medium (medium.kind: range)');
    if (g.board) boardOk(g.board, ['nodes', i, 'random', 'board']);
    wifiOk(g.board ?? defaultBoard, g.board ? ['nodes', i, 'random', 'board'] : raw.defaults?.board ? ['defaults', 'board'] : ['nodes', i, 'random']);
    const config = mergeConfig(baseConfig, g.config, ['nodes', i, 'random', 'config'], fail);
    const ids: number[] = [];
    for (let k = 0; k < g.count; k++) {
      while (byId.has(nextId)) nextId++;
      if (nextId > 0xfffe) {
        fail(['nodes', i, 'random', 'count'], 'more nodes than ids (1..65534)');
        break;
      }
      const node: ScenarioNode = { id: nextId, board: g.board ?? defaultBoard, config, outages: [] };
      nodes.push(node);
      byId.set(nextId, node);
      ids.push(nextId);
    }
    generators.push({
      ids,
      area: { width: g.area[0], height: g.area[1] },
      connected: g.connected ?? true,
      where: `${src.where(['nodes', i])}: nodes[${i}].random`,
    });
  });

  (raw.outages ?? []).forEach((o, j) => {
    const node = byId.get(o.node!);
    if (!node) fail(['outages', j, 'node'], `no node with id ${o.node}`);
    else addOutage(node, o, ['outages', j]);
  });

  medium.links.forEach((l, j) => {
    if (!byId.has(l.a)) fail(['medium', 'links', j, 'a'], `no node with id ${l.a}`);
    if (!byId.has(l.b)) fail(['medium', 'links', j, 'b'], `no node with id ${l.b}`);
    if (l.a === l.b) fail(['medium', 'links', j], 'a link joins two different nodes');
  });

  for (const n of nodes) checkOverlaps(n, outagePaths, fail);

  const pings: PingSpec[] = [];
  (raw.pings ?? []).forEach((p, j) => {
    if (!byId.has(p.from)) fail(['pings', j, 'from'], `no node with id ${p.from}`);
    if (!byId.has(p.to)) fail(['pings', j, 'to'], `no node with id ${p.to}`);
    if (p.from === p.to) fail(['pings', j], 'a node does not ping itself');
    const every = parseDuration(p.every)!;
    if (every < 50_000) fail(['pings', j, 'every'], 'must be at least 50ms');
    const start = p.start !== undefined ? parseDuration(p.start)! : every;
    const stop = p.stop !== undefined ? parseDuration(p.stop)! : Infinity;
    if (stop <= start) fail(['pings', j, 'stop'], 'must be after start');
    pings.push({ from: p.from, to: p.to, every, start, stop });
  });
  const packages: PackageFeed[] = [];
  (raw.packages ?? []).forEach((p, j) => {
    for (const [field, id] of [['from', p.from], ['target', p.target]] as const) {
      if (!byId.has(id)) fail(['packages', j, field], `no node with id ${id}`);
    }
    (p.backups ?? []).forEach((b, k) => {
      if (!byId.has(b)) fail(['packages', j, 'backups', k], `no node with id ${b}`);
    });
    const [first, last] = p.steps;
    if (first > last) fail(['packages', j, 'steps'], `the first step (${first}) comes after the last (${last})`);
    const every = parseDuration(p.every)!;
    if (every < 1_000) fail(['packages', j, 'every'], 'must be at least 1ms');
    const start = p.start !== undefined ? parseDuration(p.start)! : every;
    const stop = p.stop !== undefined ? parseDuration(p.stop)! : Infinity;
    if (stop <= start) fail(['packages', j, 'stop'], 'must be after start');
    const backups = p.backups ?? [];
    packages.push({
      from: p.from, target: p.target, backups: [backups[0] ?? 0, backups[1] ?? 0], first, last, bytes: p.bytes ?? 64,
      every, start, stop, count: p.count ?? Infinity, queue: p.queue ?? Infinity,
    });
  });
  let sensors: SensorFeedSpec | undefined;
  if (raw.sensors) {
    const seen = new Set<number>();
    const list = raw.sensors.nodes.map((s, j) => {
      const node = byId.get(s.node);
      if (!node) fail(['sensors', 'nodes', j, 'node'], `no node with id ${s.node}`);
      else if (node.config.fuse_role !== 1) fail(['sensors', 'nodes', j, 'node'], `node ${s.node} has fuse_role ${node.config.fuse_role ?? 0}, not 1 (sensor): nothing would read it`);
      if (seen.has(s.node)) fail(['sensors', 'nodes', j, 'node'], `node ${s.node} already has a sensor`);
      seen.add(s.node);
      if (!s.broken) return { node: s.node, quality: s.quality };
      const from = parseDuration(s.broken.from)!, to = parseDuration(s.broken.to)!;
      const at = ['sensors', 'nodes', j, 'broken'];
      if (to <= from) fail([...at, 'to'], 'must be after from');
      if (to > duration) fail([...at, 'to'], `must be within the run (${formatDuration(duration)})`);
      // The wind is one value a minute, so a fault spans whole minutes.
      if (from % 60e6 || to % 60e6) fail(at, 'from and to must be whole minutes (the wind has one value a minute)');
      return { node: s.node, quality: s.quality, broken: { from: from / 60e6, to: to / 60e6 } };
    });
    sensors = { windSeed: raw.sensors.wind_seed, sensors: list };
  }
  let hermes: HermesSpec | undefined;
  if (raw.hermes) {
    if (!byId.has(raw.hermes.root)) fail(['hermes', 'root'], `no node with id ${raw.hermes.root}`);
    const steadyFrom = parseDuration(raw.hermes.steady_from)!;
    if (steadyFrom >= duration) fail(['hermes', 'steady_from'], `must be before the end of the run (${formatDuration(duration)})`);
    hermes = { root: raw.hermes.root, steadyFrom };
  }

  const baseDir = opts.baseDir ?? dirname(resolve(src.file));
  const seed = raw.seed ?? DEFAULT_SEED;
  return {
    file: src.file,
    name: raw.name,
    description: raw.description,
    seed,
    duration,
    program: resolveProgram(raw.program ?? DEFAULT_PROGRAM, baseDir),
    bootJitter: parseDuration(raw.boot_jitter ?? DEFAULT_BOOT_JITTER)!,
    medium,
    nodes: nodes.sort((a, b) => a.id - b.id),
    generators,
    pings,
    packages,
    hermes,
    sensors,
  };
}

/** Fields that belong to one kind of medium only. */
function checkWifiMedium(raw: RawScenario, fail: (p: FieldPath, m: string) => void): void {
  const m = raw.medium;
  if (!m) return;
  if (m.kind === 'wifi') {
    if (m.links !== undefined) fail(['medium', 'links'], 'a wifi medium has no link list: frames follow the associations the nodes make');
    if (m.base_latency_ms !== undefined) {
      fail(['medium', 'base_latency_ms'], "not used by a wifi medium: per-hop latency comes from the boards' wifi.hop_latency_ms (override it with hop_latency_ms)");
    }
  } else {
    for (const field of ['hop_latency_ms', 'jitter_ms'] as const) {
      if (m[field] !== undefined) fail(['medium', field], `only for a wifi medium (medium.kind: wifi); this medium is ${m.kind ?? 'range'}`);
    }
  }
}

/** "node" -> build/node.wasm; anything with a slash or .wasm is a path from the scenario. */
export function resolveProgram(program: string, baseDir: string): string {
  if (program.includes('/') || program.endsWith('.wasm')) return isAbsolute(program) ? program : join(baseDir, program);
  return join(BUILD_DIR, `${program}.wasm`);
}

function mergeConfig(
  base: RawConfig,
  own: RawConfig | undefined,
  path: FieldPath,
  fail: (p: FieldPath, m: string) => void,
): NodeConfig {
  if (own) checkConfigBlock(own, path, fail);
  const merged = { ...base, ...(own ?? {}) } as NodeConfig;
  const hello = merged.hello_interval_ms ?? CONFIG_KEYS.hello_interval_ms.default;
  const timeout = merged.neighbour_timeout_ms ?? CONFIG_KEYS.neighbour_timeout_ms.default;
  if (timeout <= hello) {
    fail(own?.neighbour_timeout_ms !== undefined || own?.hello_interval_ms !== undefined ? path : ['defaults', 'config'],
      `neighbour_timeout_ms (${timeout}) must be longer than hello_interval_ms (${hello})`);
  }
  return merged;
}

/** Rules of docs/abi.md's config table that a min/max range cannot say. */
function checkConfigBlock(config: RawConfig, path: FieldPath, fail: (p: FieldPath, m: string) => void): void {
  const ping = config.ping_interval_ms;
  if (typeof ping === 'number' && ping > 0 && ping < 50) fail([...path, 'ping_interval_ms'], 'must be 0 (never) or 50..600000');
}

function parseOutage(o: RawOutage, path: FieldPath, duration: number, fail: (p: FieldPath, m: string) => void): Outage {
  let from: number;
  let to: number;
  if (o.at !== undefined) {
    from = parseDuration(o.at)!;
    to = from + parseDuration(o.for!)!;
    if (to === from) fail([...path, 'for'], 'an outage lasts longer than 0');
  } else {
    from = parseDuration(o.from!)!;
    to = parseDuration(o.to!)!;
    if (to <= from) fail([...path, 'to'], `ends (${o.to}) before it starts (${o.from})`);
  }
  if (from >= duration) fail(path, `starts at ${formatDuration(from)}, at or after the end of the run (${formatDuration(duration)})`);
  else if (to > duration) fail(path, `ends at ${formatDuration(to)}, after the end of the run (${formatDuration(duration)}); end it at ${formatDuration(duration)} to keep the node off`);
  return { from, to };
}

function checkOverlaps(node: ScenarioNode, paths: Map<Outage, FieldPath>, fail: (p: FieldPath, m: string) => void): void {
  const list = [...node.outages].sort((a, b) => a.from - b.from);
  for (let i = 1; i < list.length; i++) {
    if (list[i].from < list[i - 1].to) fail(paths.get(list[i])!, `overlaps another outage of node ${node.id}`);
  }
}
