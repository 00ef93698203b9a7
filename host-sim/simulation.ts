// A whole run: the engine, the medium and one SimNode per node, wired together from a
// resolved setup. Scenario files are resolved elsewhere (scenario/); this takes plain data
// so tests can build runs directly.

import { Engine } from './engine.ts';
import { EventLog } from './events.ts';
import { Medium } from './medium.ts';
import { SimNode, type NodeObserver, type NodeSetup } from './node.ts';
import { LoopChecker } from './routing.ts';
import { RunFailure } from './failure.ts';
import { deriveStream } from './prng.ts';
import { buildTopology, type MediumSpec, type Topology } from './topology.ts';
import { NO_IO, type NodeIO } from './io.ts';
import { scenarioSensors, withSensor, type SensorFeedSpec, type SensorSource } from './sensors.ts';
import { PackageLedger, type PackageFeed } from './packages.ts';
import { WifiNet } from './wifi.ts';
import type { Program } from './program.ts';
import type { Counters } from '../tools/wire/inspect.ts';
import { SubmitKind } from '../tools/wire/abi.ts';

export interface Outage {
  /** Microseconds: the node is off in [from, to). */
  from: number;
  to: number;
}

export interface SimNodeSetup extends NodeSetup {
  outages: Outage[];
}

export interface SimulationSetup {
  name: string;
  seed: number;
  /** Microseconds of virtual time to run. */
  duration: number;
  program: Program;
  medium: MediumSpec;
  nodes: SimNodeSetup[];
  /** Nodes power on at a random moment in [0, bootJitter) µs, like devices plugged in by hand. */
  bootJitter: number;
  traceFrames?: boolean;
  io?: (id: number) => NodeIO;
  /** Check loop freedom after every call into a node (default true; off only for speed). */
  checkLoops?: boolean;
  /** Routed pings the host submits: from `start` until `stop`, every `every` µs while `from` is on. */
  pings?: { from: number; to: number; every: number; start: number; stop: number }[];
  /** The HERMES comparison (hermes.ts): the root and the start of the steady-state window (µs). */
  hermes?: { root: number; steadyFrom: number };
  /** Work packages fed in as a sensor would (packages.ts). */
  packages?: PackageFeed[];
  /** Fusion sensors on the scenario's nodes (sensors.ts). */
  sensors?: SensorFeedSpec;
}

export class Simulation {
  readonly engine = new Engine();
  readonly events = new EventLog();
  readonly topology: Topology;
  readonly medium: Medium;
  readonly nodes = new Map<number, SimNode>();
  /** The loop-freedom check (routing.ts), or null when disabled. */
  readonly loops: LoopChecker | null;
  /** The Wi-Fi tree model (wifi.ts) on a `wifi` medium, else null. */
  readonly wifi: WifiNet | null;
  /** Counters of the HERMES root at the start of the steady-state window (null before it). */
  steadyStart: { atUs: number; counters: Counters } | null = null;
  /** Routed pings submitted by the scenario and the ones the node refused (no route yet). */
  readonly pingStats = { submitted: 0, refused: 0 };
  /** Every package the feeds made and how it ended (packages.ts); null without feeds. */
  readonly ledger: PackageLedger | null;

  constructor(readonly setup: SimulationSetup) {
    this.topology = buildTopology(setup.medium, setup.nodes);
    this.medium = new Medium(this.engine, this.topology, deriveStream(setup.seed, 'medium'));
    this.wifi = setup.medium.kind === 'wifi' ? new WifiNet(this.engine, setup.medium, this.medium.stats, this.events, setup.seed) : null;
    this.medium.router = this.wifi;
    const bootRng = deriveStream(setup.seed, 'boot');
    this.loops = setup.checkLoops === false ? null : new LoopChecker();
    const observer = this.loops ? this.loopObserver(this.loops) : undefined;
    const sensors = setup.sensors ? scenarioSensors(setup.sensors, setup.seed, Math.ceil(setup.duration / 60e6)) : null;
    const ledger = setup.packages?.length ? new PackageLedger(this.engine, (id) => this.node(id), setup.packages) : null;
    this.ledger = ledger;
    for (const n of [...setup.nodes].sort((a, b) => a.id - b.id)) {
      const node = new SimNode(n, {
        engine: this.engine,
        medium: this.medium,
        events: this.events,
        program: setup.program,
        rng: deriveStream(setup.seed, `node/${n.id}`),
        io: this.ioOf(n.id, ledger, sensors),
        traceFrames: setup.traceFrames ?? false,
        observer,
        wifi: this.wifi ?? undefined,
        channelBps: setup.medium.kind === 'wifi' ? undefined : setup.medium.bandwidth_bps,
      });
      this.nodes.set(n.id, node);
      this.medium.attach(n.id, node);
      this.wifi?.attach(node);
      const boot = setup.bootJitter > 0 ? bootRng.nextInt(setup.bootJitter) : 0;
      this.schedulePower(node, boot, n.outages);
    }
    for (const p of setup.pings ?? []) this.schedulePing(p.from, p.to, p.every, p.start, p.stop);
    const hermes = setup.hermes;
    if (hermes) {
      this.engine.at(hermes.steadyFrom, () => {
        this.steadyStart = { atUs: this.engine.now, counters: this.node(hermes.root).counters() };
      });
    }
  }

  /** A routed ping (submit PING) from `from` to `to` every `every` µs from `at` until `stop`. */
  private schedulePing(from: number, to: number, every: number, at: number, stop: number): void {
    if (at >= this.setup.duration || at >= stop) return;
    this.engine.at(at, () => {
      const node = this.node(from);
      if (node.state === 'on') {
        const result = node.submit(SubmitKind.Ping, new Uint8Array([to & 0xff, to >> 8]));
        this.pingStats.submitted++;
        if (result !== null && result < 0) this.pingStats.refused++;
      }
      this.schedulePing(from, to, every, at + every, stop);
    });
  }

  private loopObserver(loops: LoopChecker): NodeObserver {
    return {
      afterCall: (node) => {
        if (this.engine.failure) return;
        const loop = loops.update(node.id, node.routeDump());
        if (loop) {
          this.events.add(this.engine.now, node.id, 'routing_loop', loop);
          this.engine.fail(new RunFailure(`at ${(this.engine.now / 1e6).toFixed(6)} s: ${loop}`));
        }
      },
      stopped: (node) => loops.clear(node.id),
    };
  }

  /**
   * Power schedule: on at boot, then off/on around each outage. An outage that covers the
   * boot moment simply delays it.
   */
  private schedulePower(node: SimNode, boot: number, outages: Outage[]): void {
    const sorted = [...outages].sort((a, b) => a.from - b.from);
    const coversBoot = (o: Outage) => o.from <= boot && boot < o.to;
    if (!sorted.some(coversBoot)) this.engine.at(boot, () => node.powerOn());
    for (const o of sorted) {
      if (!coversBoot(o)) this.engine.at(Math.max(o.from, 0), () => node.powerOff());
      if (o.to < this.setup.duration) this.engine.at(o.to, () => node.powerOn());
    }
  }

  get now(): number {
    return this.engine.now;
  }

  get failure(): Error | null {
    return this.engine.failure;
  }

  /** A node's IO: the setup's, with its scenario sensor and the package ledger around it. */
  private ioOf(id: number, ledger: PackageLedger | null, sensors: Map<number, SensorSource> | null): NodeIO {
    let io = this.setup.io?.(id) ?? NO_IO;
    const sensor = sensors?.get(id);
    if (sensor) io = withSensor(io, sensor);
    return ledger ? ledger.watch(id, io) : io;
  }

  /** Runs until `until` µs (capped at the scenario duration). */
  runUntil(until: number, onProgress?: (now: number) => void): void {
    this.engine.run(Math.min(until, this.setup.duration), onProgress);
  }

  run(onProgress?: (now: number) => void): void {
    this.runUntil(this.setup.duration, onProgress);
  }

  node(id: number): SimNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  /** Neighbours a node could hear right now: in range and switched on (none when it is off). */
  trueNeighbours(id: number): number[] {
    if (this.nodes.get(id)?.state !== 'on') return [];
    // Over Wi-Fi a node hears only its parent and children.
    if (this.wifi) return this.wifi.peers(id).filter((p) => this.nodes.get(p)?.state === 'on');
    return (this.topology.get(id) ?? []).filter((l) => this.nodes.get(l.peer)?.state === 'on').map((l) => l.peer);
  }
}
