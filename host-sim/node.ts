// One simulated node: a fresh module instance per power-on, the HAL implemented in JS, and
// the single-threaded microcontroller time model (docs/simulator.md, "Time model").

import type { Engine, EventHandle } from './engine.ts';
import type { EventLog } from './events.ts';
import type { Medium, Receiver } from './medium.ts';
import type { Program } from './program.ts';
import type { Rng } from './prng.ts';
import type { NodeIO } from './io.ts';
import type { WifiNet } from './wifi.ts';
import type { Point } from './link.ts';
import { airtimeUs } from './link.ts';
import { computeTimeUs, DEFAULT_RX_QUEUE, DEFAULT_TX_QUEUE, type Board } from './boards.ts';
import { RunFailure } from './failure.ts';
import { decodeRecord } from './records.ts';
import { LifeTracker } from './lifecycle.ts';
import { BROADCAST, InitError, LinkEvent, NO_DEADLINE, SendError, WifiError } from '../tools/wire/abi.ts';
import { encodeConfig, type NodeConfig } from '../tools/wire/config.ts';
import { decodeCounters, decodeNeighbours, decodeRoutes, type Counters, type NeighbourEntry, type RoutesDump } from '../tools/wire/inspect.ts';

export interface NodeSetup {
  id: number;
  board: Board;
  config: NodeConfig;
  pos?: Point;
}

export interface NodeEnv {
  engine: Engine;
  medium: Medium;
  events: EventLog;
  program: Program;
  /** The node's own random stream: feeds `rand` and nothing else. */
  rng: Rng;
  io: NodeIO;
  traceFrames: boolean;
  /** Told after every call into a running node, and when a node stops (routing checks). */
  observer?: NodeObserver;
  /** The Wi-Fi tree model on a `wifi` medium; absent on mesh media (the import answers -5). */
  wifi?: WifiNet;
  /** The mesh medium's channel rate when the scenario sets one: the radio sends no faster. */
  channelBps?: number;
}

export interface NodeObserver {
  afterCall(node: SimNode): void;
  stopped(node: SimNode): void;
}

export interface RttStats {
  count: number;
  sumMs: number;
  minMs: number;
  maxMs: number;
}

/** The node module's exports (docs/abi.md) as a host calls them. */
export interface NodeExports {
  memory: WebAssembly.Memory;
  inbox(): number;
  inbox_size(): number;
  outbox(): number;
  heap_top(): number;
  init(id: number, cfgLen: number): number;
  on_frame(src: number, len: number, rssi: number): void;
  on_link(event: number, peer: number): void;
  submit(kind: number, len: number): number;
  tick(now: number): number;
  inspect(what: number): number;
}

type Input =
  | { kind: 'frame'; src: number; bytes: Uint8Array; rssi: number }
  | { kind: 'link'; event: number; peer: number }
  /** A Wi-Fi tree event; `data` (scan records) goes into the inbox first. */
  | { kind: 'wifi'; event: number; peer: number; data?: Uint8Array }
  | { kind: 'submit'; type: number; bytes: Uint8Array; done?: (result: number | null) => void };

export type NodeState = 'off' | 'on' | 'failed';

/** Thrown by the `panic` import to unwind the module; the module never resumes. */
class PanicSignal extends Error {
  constructor(
    readonly code: number,
    readonly text: string,
  ) {
    super(`panic ${code}: ${text}`);
  }
}

/** The module handed the HAL a pointer outside its memory: treated like a trap. */
class HostTrap extends Error {}

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'];

const INIT_ERRORS: Record<number, string> = {
  [InitError.MalformedConfig]: 'malformed config',
  [InitError.OutOfRange]: 'a config value or the node id is out of range',
  [InitError.AlreadyInitialised]: 'already initialised',
  [InitError.BadModel]: "the step's model blob is missing, corrupt or does not match the step",
};

export interface NodeHostStats {
  rxOverflow: number;
  txQueueFull: number;
  mtuDrops: number;
  badDestination: number;
  txFailed: number;
  framesIn: number;
  framesOut: number;
  logs: number;
  /** Time spent in declared work (`compute`), µs. */
  computeUs: number;
  /** Time the radio spent sending this node's frames, µs. */
  txAirtimeUs: number;
  /** Time the node was computing or its radio sending (the union of the two), µs. */
  busyUs: number;
  /** Bytes of the frames this node sent, by wire message type (index = type byte). */
  txBytesByType: number[];
}

export class SimNode implements Receiver {
  state: NodeState = 'off';
  boots = 0;
  failure: string | null = null;
  /** Heap top after the current instance's init; every later call must leave it there. */
  heapTop = 0;
  readonly stats: NodeHostStats = { rxOverflow: 0, txQueueFull: 0, mtuDrops: 0, badDestination: 0, txFailed: 0, framesIn: 0, framesOut: 0, logs: 0, computeUs: 0, txAirtimeUs: 0, busyUs: 0, txBytesByType: new Array<number>(256).fill(0) };
  readonly rtt: RttStats = { count: 0, sumMs: 0, minMs: Infinity, maxMs: 0 };
  /** Round trips of routed pings (ROUTED_RTT), by hops travelled. */
  readonly routedRtt = new Map<number, RttStats>();
  /** Tree mode: the lifecycle from the node's STATE records (lifecycle.ts). */
  readonly life = new LifeTracker();

  private exp: NodeExports | null = null;
  private inboxAddr = 0;
  private inboxSize = 0;
  /** The node's time during a call: starts at the engine's time, advanced by `compute`. */
  private clock = 0;
  private bootAt = 0;
  private busyUntil = 0;
  private rxQueue: Input[] = [];
  private drainEvent: EventHandle | null = null;
  private tickEvent: EventHandle | null = null;
  private txEnds: number[] = [];
  private radioFreeAt = 0;
  /** Bumped on every power change so events of a previous life are recognised and dropped. */
  private generation = 0;
  private snapshot: { counters: Counters; neighbours: NeighbourEntry[]; routes: RoutesDump | null } = { counters: {}, neighbours: [], routes: null };
  private readonly txCap: number;
  private readonly rxCap: number;

  constructor(
    readonly setup: NodeSetup,
    private env: NodeEnv,
  ) {
    this.txCap = setup.board.radio.tx_queue ?? DEFAULT_TX_QUEUE;
    this.rxCap = setup.board.radio.rx_queue ?? DEFAULT_RX_QUEUE;
  }

  get id(): number {
    return this.setup.id;
  }

  get board(): Board {
    return this.setup.board;
  }

  private get now(): number {
    return this.env.engine.now;
  }

  // ---- power ----------------------------------------------------------------------------

  powerOn(): void {
    if (this.state === 'on') return;
    this.resetLife();
    this.state = 'on';
    this.boots++;
    this.bootAt = this.now;
    this.life.boot(this.now);
    this.env.events.add(this.now, this.id, 'node_on', this.boots > 1 ? `boot=${this.boots}` : '');
    const instance = new WebAssembly.Instance(this.env.program.module, { hal: this.hal() });
    const exp = instance.exports as unknown as NodeExports;
    this.exp = exp;
    this.inboxAddr = exp.inbox() >>> 0;
    this.inboxSize = exp.inbox_size() >>> 0;

    const cfg = encodeConfig({ mtu: Math.min(this.board.radio.mtu, this.inboxSize, 1024), ...this.setup.config });
    if (cfg.length > this.inboxSize) {
      this.env.engine.fail(new RunFailure(`node ${this.id}: config blob of ${cfg.length} bytes does not fit the ${this.inboxSize}-byte inbox`));
      return;
    }
    this.writeInbox(cfg);
    let result = 0;
    this.call('init', () => (result = exp.init(this.id, cfg.length)), false);
    if (this.state !== 'on') return;
    if (result !== 0) {
      this.markFailed('init_failed', `init returned ${result}${INIT_ERRORS[result] ? ` (${INIT_ERRORS[result]})` : ''}`);
      return;
    }
    this.heapTop = exp.heap_top() >>> 0;
    const budget = this.board.wasm_memory_budget;
    if (this.heapTop > budget) {
      this.env.events.add(this.now, this.id, 'budget_violation', `heap_top=${this.heapTop} budget=${budget}`);
      this.env.engine.fail(
        new RunFailure(
          `node ${this.id} (board ${this.board.name}): heap top ${this.heapTop} bytes after init exceeds the board's Wasm memory budget of ${budget} bytes`,
        ),
      );
      return;
    }
    this.runTick();
  }

  powerOff(): void {
    if (this.state === 'off') return;
    if (this.state === 'on') this.takeSnapshot();
    this.life.stop(this.now);
    this.resetLife();
    this.state = 'off';
    this.exp = null;
    this.env.observer?.stopped(this);
    this.env.events.add(this.now, this.id, 'node_off');
  }

  private resetLife(): void {
    this.dropPending();
    this.txEnds = [];
    this.radioFreeAt = this.busyUntil = this.clock = this.now;
    this.failure = null;
  }

  /** Forgets everything scheduled for the current life: its tick, queued input, Wi-Fi links. */
  private dropPending(): void {
    this.generation++;
    this.env.wifi?.reset(this.id);
    this.env.engine.cancel(this.tickEvent);
    this.env.engine.cancel(this.drainEvent);
    this.tickEvent = this.drainEvent = null;
    const dropped = this.rxQueue;
    this.rxQueue = [];
    this.txSpans = [];
    for (const input of dropped) if (input.kind === 'submit') input.done?.(null);
  }

  private markFailed(event: string, message: string): void {
    this.takeSnapshot();
    this.life.stop(this.clock);
    this.dropPending();
    this.state = 'failed';
    this.failure = message;
    this.exp = null;
    this.env.observer?.stopped(this);
    this.env.events.add(this.clock, this.id, event, message);
  }

  // ---- calls into the module ----------------------------------------------------------

  /**
   * Every call goes through here: it sets the node's clock, turns panics and traps into a
   * failed node, makes the node busy for the work it declared, and checks the heap top.
   */
  private call(label: string, fn: () => void, checkHeap = true): void {
    if (this.state !== 'on' || !this.exp) return;
    this.clock = Math.max(this.now, this.busyUntil);
    try {
      fn();
    } catch (e) {
      if (e instanceof PanicSignal) return this.markFailed('panic', `${label}: ${e.message}`);
      if (e instanceof HostTrap || e instanceof WebAssembly.RuntimeError) return this.markFailed('trap', `${label}: ${(e as Error).message}`);
      throw e;
    }
    this.busyUntil = this.clock;
    if (checkHeap) this.checkHeap(label);
    if (this.state === 'on') this.env.observer?.afterCall(this);
  }

  private checkHeap(label: string): void {
    const top = this.exp!.heap_top() >>> 0;
    if (top !== this.heapTop) {
      this.env.events.add(this.clock, this.id, 'budget_violation', `heap_top=${top} after_init=${this.heapTop} call=${label}`);
      this.env.engine.fail(
        new RunFailure(`node ${this.id} (board ${this.board.name}): heap top moved after init, from ${this.heapTop} to ${top} bytes during ${label}`),
      );
    }
  }

  private nowMs(): number {
    return Math.floor((this.clock - this.bootAt) / 1000);
  }

  private runTick(): void {
    let next: number | null = null;
    this.call('tick', () => {
      const nowMs = this.nowMs();
      const wait = this.exp!.tick(nowMs >>> 0) >>> 0;
      // 0 means "as soon as possible": the next millisecond, since within one the node's
      // clock would read the same and the call would be a poll.
      if (wait !== NO_DEADLINE) next = this.bootAt + (nowMs + Math.max(wait, 1)) * 1000;
    });
    this.env.engine.cancel(this.tickEvent);
    this.tickEvent = null;
    if (next !== null && this.state === 'on') this.scheduleTick(next);
  }

  private scheduleTick(at: number): void {
    this.tickEvent = this.env.engine.at(Math.max(at, this.busyUntil, this.now), () => {
      this.tickEvent = null;
      if (this.now < this.busyUntil) this.scheduleTick(this.busyUntil);
      else if (this.rxQueue.length > 0) this.drainFirst();
      else this.runTick();
    });
  }

  /**
   * A tick is due but inputs arrived while the node was busy: like a firmware main loop that
   * polls its radio before calling `tick`, hand over the oldest input first (which asks for a
   * tick after it), so a node that computes slice after slice still answers between them.
   */
  private drainFirst(): void {
    this.env.engine.cancel(this.drainEvent);
    this.drainEvent = null;
    this.process(this.rxQueue.shift()!);
    this.ensureDrain();
  }

  // ---- inputs: frames, link events, submitted data ---------------------------------------

  arrive(src: number, bytes: Uint8Array, rssi: number): boolean {
    if (this.state !== 'on') {
      this.env.medium.stats.lost[this.state === 'off' ? 'receiver_off' : 'receiver_failed']++;
      return false;
    }
    this.enqueue({ kind: 'frame', src, bytes, rssi });
    return true;
  }

  txFailed(peer: number): void {
    if (this.state !== 'on') return;
    this.stats.txFailed++;
    this.enqueue({ kind: 'link', event: LinkEvent.TxFailed, peer });
  }

  /** A Wi-Fi tree event (wifi.ts). The driver keeps its own event queue: never dropped. */
  wifiEvent(event: number, peer: number, data?: Uint8Array): void {
    if (this.state !== 'on') return;
    this.enqueue({ kind: 'wifi', event, peer, data });
  }

  /** Capacity of the inbox of the running instance (0 when off). */
  get inboxCapacity(): number {
    return this.exp ? this.inboxSize : 0;
  }

  /** Local data (docs/abi.md, "Submit kinds"); the result when the node could take it now. */
  /**
   * Hands a submit to the node: its result now, or null when the node is off or busy. A busy
   * node takes it in turn, like a frame; `done` then learns the result, or null when it never
   * reached the module (input queue full, node switched off first, or the call trapped).
   */
  submit(type: number, bytes: Uint8Array, done?: (result: number | null) => void): number | null {
    if (this.state !== 'on') return null;
    const idle = this.now >= this.busyUntil && this.rxQueue.length === 0 && !this.drainEvent;
    if (!idle) {
      this.enqueue({ kind: 'submit', type, bytes, done });
      return null;
    }
    return this.process({ kind: 'submit', type, bytes });
  }

  private enqueue(input: Input): void {
    if (this.now >= this.busyUntil && this.rxQueue.length === 0 && !this.drainEvent) {
      this.process(input);
      return;
    }
    if (this.rxQueue.length >= this.rxCap && input.kind !== 'wifi') {
      // The radio driver's buffer is full: the frame is gone, as on a board.
      this.stats.rxOverflow++;
      if (input.kind === 'frame') this.env.medium.stats.dropped.rx_queue_overflow++;
      this.env.events.add(this.now, this.id, 'rx_overflow', input.kind === 'frame' ? `src=${input.src} len=${input.bytes.length}` : input.kind);
      if (input.kind === 'submit') input.done?.(null);
      return;
    }
    this.rxQueue.push(input);
    this.ensureDrain();
  }

  private ensureDrain(): void {
    if (this.drainEvent || this.rxQueue.length === 0 || this.state !== 'on') return;
    this.drainEvent = this.env.engine.at(Math.max(this.now, this.busyUntil), () => {
      this.drainEvent = null;
      if (this.now >= this.busyUntil) {
        const input = this.rxQueue.shift();
        if (input) this.process(input);
      }
      this.ensureDrain();
    });
  }

  private process(input: Input): number | null {
    const exp = this.exp!;
    let result: number | null = null;
    if (input.kind === 'frame') {
      if (input.bytes.length > this.inboxSize) {
        this.env.medium.stats.dropped.inbox_too_small++;
        return null;
      }
      this.env.medium.stats.delivered++;
      this.stats.framesIn++;
      if (this.env.traceFrames) this.env.events.add(this.now, this.id, 'rx', frameSummary(input.src, input.bytes));
      this.writeInbox(input.bytes);
      this.call('on_frame', () => exp.on_frame(input.src, input.bytes.length, input.rssi));
    } else if (input.kind === 'wifi') {
      if (input.data) this.writeInbox(input.data);
      this.call('on_link', () => exp.on_link(input.event, input.peer));
    } else if (input.kind === 'link') {
      this.call('on_link', () => exp.on_link(input.event, input.peer));
    } else {
      if (input.bytes.length > this.inboxSize) {
        input.done?.(SendError.TooLong);
        return SendError.TooLong;
      }
      this.writeInbox(input.bytes);
      this.call('submit', () => (result = exp.submit(input.type, input.bytes.length)));
      input.done?.(result);
    }
    // An input may have created work with its own deadline; ask the node for it.
    this.runTick();
    return result;
  }

  // ---- introspection --------------------------------------------------------------------

  private inspectRaw(what: number): Uint8Array {
    const exp = this.exp!;
    const len = exp.inspect(what) >>> 0;
    const at = exp.outbox() >>> 0;
    return this.read(at, len).slice();
  }

  private takeSnapshot(): void {
    if (this.state !== 'on' || !this.exp) return;
    try {
      const routes = this.inspectRaw(2);
      this.snapshot = {
        counters: decodeCounters(this.inspectRaw(0)),
        neighbours: decodeNeighbours(this.inspectRaw(1)),
        routes: routes.length ? decodeRoutes(routes) : null,
      };
    } catch {
      // A module that just trapped may not answer; keep the previous snapshot.
    }
  }

  /** Counters of the running instance, or the last ones seen if the node is off or failed. */
  counters(): Counters {
    if (this.state === 'on' && this.exp) {
      const c = decodeCounters(this.inspectRaw(0));
      this.checkHeap('inspect');
      return c;
    }
    return this.snapshot.counters;
  }

  neighbours(): NeighbourEntry[] {
    if (this.state === 'on' && this.exp) {
      const n = decodeNeighbours(this.inspectRaw(1));
      this.checkHeap('inspect');
      return n;
    }
    return this.state === 'off' ? [] : this.snapshot.neighbours;
  }

  /** The raw routing-table dump of the running instance (inspect 2); empty if it has none. */
  routeDump(): Uint8Array | null {
    if (this.state !== 'on' || !this.exp) return null;
    return this.inspectRaw(2);
  }

  /** Routing table of the running instance, or the last one seen if the node is off or failed. */
  routes(): RoutesDump | null {
    if (this.state === 'on' && this.exp) {
      const raw = this.inspectRaw(2);
      this.checkHeap('inspect');
      return raw.length ? decodeRoutes(raw) : null;
    }
    return this.state === 'off' ? null : this.snapshot.routes;
  }

  /** Tree-mode state dump (inspect 3) of the running instance, raw; null when off or not in tree mode. */
  treeDump(): Uint8Array | null {
    if (this.state !== 'on' || !this.exp) return null;
    const raw = this.inspectRaw(3);
    this.checkHeap('inspect');
    return raw.length ? raw : null;
  }

  currentHeapTop(): number | null {
    return this.exp ? this.exp.heap_top() >>> 0 : null;
  }

  // ---- the HAL --------------------------------------------------------------------------

  private mem(): Uint8Array {
    return new Uint8Array(this.exp!.memory.buffer);
  }

  private read(ptr: number, len: number): Uint8Array {
    const m = this.mem();
    if (ptr + len > m.length) throw new HostTrap(`pointer range ${ptr}+${len} outside the ${m.length}-byte memory`);
    return m.subarray(ptr, ptr + len);
  }

  private write(ptr: number, bytes: Uint8Array): void {
    const m = this.mem();
    if (ptr + bytes.length > m.length) throw new HostTrap(`pointer range ${ptr}+${bytes.length} outside the ${m.length}-byte memory`);
    m.set(bytes, ptr);
  }

  private writeInbox(bytes: Uint8Array): void {
    this.write(this.inboxAddr, bytes);
  }

  private hal(): Record<string, (...args: number[]) => number | void> {
    const text = (ptr: number, len: number) => new TextDecoder().decode(this.read(ptr >>> 0, len >>> 0));
    return {
      now_ms: () => this.nowMs() >>> 0,
      send: (dst, ptr, len) => this.send(dst >>> 0, ptr >>> 0, len >>> 0),
      rand: () => this.env.rng.nextU32() | 0,
      log: (level, ptr, len) => {
        this.stats.logs++;
        this.env.events.add(this.clock, this.id, 'log', `${LOG_LEVELS[level] ?? level}: ${text(ptr, len)}`);
      },
      emit: (kind, ptr, len) => {
        const raw = this.read(ptr >>> 0, len >>> 0);
        this.env.io.record?.(kind >>> 0, raw.slice(), this.clock);
        const rec = decodeRecord(kind >>> 0, raw);
        if (rec.life) this.life.record(this.clock, rec.life);
        if (rec.rttMs !== undefined) {
          let stats = this.rtt;
          if (rec.hops !== undefined) {
            stats = this.routedRtt.get(rec.hops) ?? { count: 0, sumMs: 0, minMs: Infinity, maxMs: 0 };
            this.routedRtt.set(rec.hops, stats);
          }
          stats.count++;
          stats.sumMs += rec.rttMs;
          stats.minMs = Math.min(stats.minMs, rec.rttMs);
          stats.maxMs = Math.max(stats.maxMs, rec.rttMs);
        }
        this.env.events.add(this.clock, this.id, rec.event, rec.detail);
      },
      sensor: (channel, ptr, max) => {
        const data = this.env.io.sensor(channel >>> 0, max >>> 0, this.clock);
        if (!data) return -1;
        const n = Math.min(data.length, max >>> 0);
        this.write(ptr >>> 0, data.subarray(0, n));
        return n;
      },
      blob_read: (id, offset, ptr, len) => {
        const data = this.env.io.blobRead(id >>> 0, offset >>> 0, len >>> 0);
        if (typeof data === 'number') return data;
        const n = Math.min(data.length, len >>> 0);
        this.write(ptr >>> 0, data.subarray(0, n));
        return n;
      },
      accel: (op, inPtr, inLen, outPtr, outLen) => {
        const out = this.env.io.accel(op >>> 0, this.read(inPtr >>> 0, inLen >>> 0).slice(), outLen >>> 0);
        if (!out) return -1;
        const n = Math.min(out.length, outLen >>> 0);
        this.write(outPtr >>> 0, out.subarray(0, n));
        return n;
      },
      wifi: (op, arg) => (this.env.wifi ? this.env.wifi.call(this.id, op >>> 0, arg >>> 0, this.clock) : WifiError.NotAvailable),
      compute: (cost) => {
        const us = computeTimeUs(this.board, cost >>> 0);
        this.stats.busyUs += us - this.radioOverlap(this.clock, this.clock + us);
        this.clock += us;
        this.stats.computeUs += us;
      },
      panic: (code, ptr, len) => {
        let message = '';
        try {
          message = text(ptr, len);
        } catch {
          message = '(message outside memory)';
        }
        throw new PanicSignal(code >>> 0, message);
      },
    };
  }

  /** Frames sent or queued that may still overlap later work: [depart, end] in µs. */
  private txSpans: [number, number][] = [];

  /** How much of [from, to) the radio spends sending (to count busy time once). */
  private radioOverlap(from: number, to: number): number {
    while (this.txSpans.length && this.txSpans[0][1] <= from) this.txSpans.shift();
    let overlap = 0;
    for (const [d, e] of this.txSpans) overlap += Math.max(0, Math.min(to, e) - Math.max(from, d));
    return overlap;
  }

  private send(dst: number, ptr: number, len: number): number {
    if (dst === 0 || dst > BROADCAST || dst === this.id || (this.env.wifi && !this.env.wifi.canSend(this.id, dst))) {
      this.stats.badDestination++;
      this.env.medium.stats.dropped.bad_destination++;
      return SendError.BadDestination;
    }
    if (len > this.board.radio.mtu) {
      this.stats.mtuDrops++;
      this.env.medium.stats.dropped.mtu++;
      return SendError.TooLong;
    }
    while (this.txEnds.length && this.txEnds[0] <= this.clock) this.txEnds.shift();
    if (this.txEnds.length >= this.txCap) {
      this.stats.txQueueFull++;
      this.env.medium.stats.dropped.tx_queue_full++;
      return SendError.QueueFull;
    }
    const bytes = this.read(ptr, len).slice();
    // The frame leaves when the work declared so far is done and the radio is free.
    const depart = Math.max(this.clock, this.radioFreeAt);
    const radioBps = Math.min(this.board.radio.bandwidth_bps, this.env.channelBps ?? Infinity);
    const airtime = airtimeUs(len, this.env.wifi?.bandwidthOf(this.id) ?? radioBps);
    const end = depart + airtime;
    this.stats.txAirtimeUs += airtime;
    // A frame leaves after the work declared so far: it can only overlap work declared later.
    this.stats.busyUs += airtime;
    this.txSpans.push([depart, end]);
    if (len > 1) this.stats.txBytesByType[bytes[1]] += len;
    this.radioFreeAt = end;
    this.txEnds.push(end);
    const generation = this.generation;
    this.env.engine.at(depart, () => {
      if (generation !== this.generation || this.state !== 'on') {
        this.env.medium.stats.lost.sender_off++;
        return;
      }
      this.stats.framesOut++;
      if (this.env.traceFrames) this.env.events.add(this.now, this.id, 'tx', frameSummary(dst, bytes));
      this.env.medium.transmit(this.id, dst, bytes);
    });
    return 0;
  }
}

/** A short human line for traced frames: peer, length and the wire header's type byte. */
function frameSummary(peer: number, bytes: Uint8Array): string {
  const type = bytes.length > 1 ? `0x${bytes[1].toString(16).padStart(2, '0')}` : '?';
  return `peer=${peer === BROADCAST ? 'all' : peer} len=${bytes.length} type=${type}`;
}
