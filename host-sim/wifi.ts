// The Wi-Fi tree medium (docs/simulator.md, "Wi-Fi tree medium"): every node has a softAP and
// a station interface. A node's station joins one parent's softAP; frames flow only between
// a node and its parent or children. Scans, joins and disconnect detection take the times
// of the boards' `wifi` blocks, and every outcome is an event on the deterministic engine.
// This is the host side of the `wifi` import (docs/abi.md, "Wi-Fi tree links").

import type { Engine, EventHandle } from './engine.ts';
import type { EventLog } from './events.ts';
import type { MediumStats } from './medium.ts';
import type { Board, WifiSpec } from './boards.ts';
import type { MediumSpec } from './topology.ts';
import { pairRange } from './topology.ts';
import { airtimeUs, distance, rssiAt, DEFAULT_RSSI, type Point } from './link.ts';
import { deriveStream, type Rng } from './prng.ts';
import { BROADCAST, LinkEvent, WIFI_DEPTH_NONE, WIFI_SCAN_RECORD_BYTES, WifiError, WifiFlag, WifiOp } from '../tools/wire/abi.ts';

/** How long a MAC waits for the ack of a unicast nobody takes (as medium.ts). */
const ACK_TIMEOUT_US = 5_000;

/** What the Wi-Fi model needs of a node (SimNode implements it). */
export interface WifiNode {
  readonly id: number;
  readonly state: 'off' | 'on' | 'failed';
  readonly board: Board;
  readonly setup: { pos?: Point };
  /** Bytes of scan records that fit the node's inbox. */
  readonly inboxCapacity: number;
  arrive(src: number, bytes: Uint8Array, rssi: number): boolean;
  txFailed(peer: number): void;
  /** A tree-mode link event (docs/abi.md); `data` is written into the inbox first. */
  wifiEvent(event: number, peer: number, data?: Uint8Array): void;
}

/** One station-to-softAP association. Both ends hold the same object. */
interface Assoc {
  parent: number;
  child: number;
  /** DHCP done: UP and CHILD_UP were delivered, frames can flow. */
  up: boolean;
  /** False once either end lost it (powered off, left, released); the other end may not know yet. */
  alive: boolean;
  /** The pending detection (beacon loss or inactivity) by the end that does not know yet. */
  detect: EventHandle | null;
}

export interface Advert {
  depth: number;
  children: number;
  flags: number;
}

interface Station {
  node: WifiNode;
  spec: WifiSpec | undefined;
  /** Bumped on every power change: callbacks of a previous life are ignored. */
  life: number;
  advert: Advert;
  busy: 'scan' | 'join' | null;
  pending: EventHandle | null;
  /** Ids the last scan reported: what JOIN accepts. */
  lastScan: Set<number>;
  /** As a station: the association with the parent (from association, before DHCP ends). */
  uplink: Assoc | null;
  /** As a softAP: associated stations, DHCP done or not. */
  children: Map<number, Assoc>;
  /** Per destination, when the last frame sent there arrives: one hop delivers in order. */
  lastArrival: Map<number, number>;
}

/**
 * Round trips of the tree's own join exchange (ask candidate parents, get assigned one) that
 * the board figures were fitted with; docs/simulator.md, "Wi-Fi tree medium".
 */
export const JOIN_ROUND_TRIPS = 2;

/** Mean round trip over one hop between two boards of this kind: 2 x (hop latency + mean jitter). */
export function meanRttMs(w: WifiSpec): number {
  return 2 * (w.hop_latency_ms + w.jitter_ms);
}

/**
 * The integration time the board figures model: scan, association, DHCP, then the join
 * exchange of the tree protocol at this board's one-hop round trip.
 */
export function integrationMs(w: WifiSpec, roundTrips = JOIN_ROUND_TRIPS): number {
  return w.scan_ms + w.assoc_ms + w.dhcp_ms + roundTrips * meanRttMs(w);
}

const NO_ADVERT: Advert = { depth: WIFI_DEPTH_NONE, children: 0, flags: 0 };

const us = (ms: number) => Math.round(ms * 1000);

export class WifiNet {
  private stations = new Map<number, Station>();
  private rng: Rng;

  constructor(
    private engine: Engine,
    private spec: MediumSpec,
    private stats: MediumStats,
    private events: EventLog,
    seed: number,
  ) {
    this.rng = deriveStream(seed, 'wifi');
  }

  attach(node: WifiNode): void {
    this.stations.set(node.id, {
      node,
      spec: node.board.wifi,
      life: 0,
      advert: { ...NO_ADVERT },
      busy: null,
      pending: null,
      lastScan: new Set(),
      uplink: null,
      children: new Map(),
      lastArrival: new Map(),
    });
  }

  private st(id: number): Station {
    const s = this.stations.get(id);
    if (!s) throw new Error(`wifi: no node ${id}`);
    return s;
  }

  private on(s: Station): boolean {
    return s.node.state === 'on' && s.spec !== undefined;
  }

  // ---- queries ----------------------------------------------------------------------------

  /** The parent a node is associated with (DHCP done), or 0. */
  parentOf(id: number): number {
    const a = this.st(id).uplink;
    return a && a.up ? a.parent : 0;
  }

  /** Children a node's softAP holds with DHCP done, ascending. */
  childrenOf(id: number): number[] {
    return [...this.st(id).children.values()].filter((a) => a.up).map((a) => a.child).sort((x, y) => x - y);
  }

  /** The peers a node can exchange frames with right now: live associations only. */
  peers(id: number): number[] {
    const s = this.st(id);
    if (s.node.state !== 'on') return [];
    const out = [...s.children.values()].filter((a) => a.up && a.alive).map((a) => a.child);
    if (s.uplink?.up && s.uplink.alive) out.push(s.uplink.parent);
    return out.sort((x, y) => x - y);
  }

  advertOf(id: number): Advert {
    return { ...this.st(id).advert };
  }

  /** Link rate for a node's sender (its radio is busy this long per byte). */
  bandwidthOf(id: number): number | undefined {
    return this.spec.bandwidth_bps ?? this.st(id).spec?.bandwidth_bps;
  }

  /** `send` accepts the parent, a child (DHCP done) or broadcast; anything else is -3. */
  canSend(id: number, dst: number): boolean {
    if (dst === BROADCAST) return true;
    const s = this.st(id);
    if (s.uplink?.up && s.uplink.parent === dst) return true;
    return s.children.get(dst)?.up === true;
  }

  private inRange(a: Station, b: Station): boolean {
    const pa = a.node.setup.pos;
    const pb = b.node.setup.pos;
    if (!pa || !pb) return false;
    return distance(pa, pb) <= pairRange(this.spec, a.node.board, b.node.board);
  }

  private rssi(a: Station, b: Station): number {
    const pa = a.node.setup.pos;
    const pb = b.node.setup.pos;
    return pa && pb ? rssiAt(distance(pa, pb)) : DEFAULT_RSSI;
  }

  // ---- the `wifi` import -----------------------------------------------------------------

  /** `wifi(op, arg)` from node `id`, whose clock reads `at` µs. */
  call(id: number, op: number, arg: number, at: number): number {
    const s = this.st(id);
    if (!s.spec) return WifiError.NotAvailable;
    switch (op) {
      case WifiOp.Scan:
        return this.scan(s, at);
      case WifiOp.Join:
        return this.join(s, arg, at);
      case WifiOp.Leave:
        this.leave(s, at);
        return 0;
      case WifiOp.Advertise:
        s.advert = { depth: arg & 0xff, children: (arg >>> 8) & 0xff, flags: (arg >>> 16) & 0xff };
        return 0;
      case WifiOp.Release:
        return this.release(s, arg, at);
      default:
        return WifiError.NotAvailable;
    }
  }

  private scan(s: Station, at: number): number {
    if (s.busy) return WifiError.Busy;
    s.busy = 'scan';
    const life = s.life;
    s.pending = this.engine.at(at + us(s.spec!.scan_ms), () => {
      if (s.life !== life) return;
      s.busy = null;
      s.pending = null;
      const found = [...this.stations.values()]
        .filter((o) => o !== s && this.on(o) && this.inRange(s, o))
        .map((o) => ({ id: o.node.id, rssi: this.rssi(s, o), advert: o.advert }))
        .sort((x, y) => y.rssi - x.rssi || x.id - y.id);
      const shown = found.slice(0, Math.floor(s.node.inboxCapacity / WIFI_SCAN_RECORD_BYTES));
      const data = new Uint8Array(shown.length * WIFI_SCAN_RECORD_BYTES);
      const view = new DataView(data.buffer);
      shown.forEach((r, i) => {
        const o = i * WIFI_SCAN_RECORD_BYTES;
        view.setUint16(o, r.id, true);
        view.setInt8(o + 2, Math.max(-128, Math.min(127, r.rssi)));
        view.setUint8(o + 3, r.advert.depth);
        view.setUint8(o + 4, r.advert.children);
        view.setUint8(o + 5, r.advert.flags);
      });
      s.lastScan = new Set(shown.map((r) => r.id));
      this.events.add(this.engine.now, s.node.id, 'wifi_scan', `found=${shown.length}${shown.length ? ` aps=${shown.map((r) => r.id).join(' ')}` : ''}`);
      s.node.wifiEvent(LinkEvent.ScanDone, shown.length, data);
    });
    return 0;
  }

  private join(s: Station, parentId: number, at: number): number {
    if (s.busy) return WifiError.Busy;
    if (!s.lastScan.has(parentId)) return WifiError.Unknown;
    // A station has one AP: joining another leaves the current one first.
    this.leave(s, at);
    s.busy = 'join';
    const life = s.life;
    this.events.add(at, s.node.id, 'wifi_join', `parent=${parentId}`);
    s.pending = this.engine.at(at + us(s.spec!.assoc_ms), () => {
      if (s.life !== life) return;
      s.pending = null;
      const p = this.stations.get(parentId)!;
      const stale = p.children.get(s.node.id);
      // The softAP still lists us from an earlier association: the new one replaces it.
      if (stale && !stale.alive) this.dropChild(p, stale, 'rejoined');
      const reason = !this.on(p)
        ? 'parent_off'
        : !this.inRange(s, p)
          ? 'out_of_range'
          : p.children.size >= p.spec!.max_children
            ? 'full'
            : (p.advert.flags & WifiFlag.Accepting) === 0
              ? 'not_accepting'
              : null;
      if (reason) return this.joinFailed(s, parentId, reason);
      const assoc: Assoc = { parent: parentId, child: s.node.id, up: false, alive: true, detect: null };
      p.children.set(s.node.id, assoc);
      s.uplink = assoc;
      s.pending = this.engine.after(us(s.spec!.dhcp_ms), () => {
        if (s.life !== life) return;
        s.pending = null;
        if (!assoc.alive || s.uplink !== assoc) {
          if (s.uplink === assoc) s.uplink = null;
          return this.joinFailed(s, parentId, 'dhcp_timeout');
        }
        s.busy = null;
        assoc.up = true;
        this.events.add(this.engine.now, parentId, 'child_up', `child=${s.node.id}`);
        p.node.wifiEvent(LinkEvent.ChildUp, s.node.id);
        this.events.add(this.engine.now, s.node.id, 'wifi_up', `parent=${parentId}`);
        s.node.wifiEvent(LinkEvent.Up, parentId);
      });
    });
    return 0;
  }

  private joinFailed(s: Station, parentId: number, reason: string): void {
    s.busy = null;
    this.events.add(this.engine.now, s.node.id, 'join_failed', `parent=${parentId} reason=${reason}`);
    s.node.wifiEvent(LinkEvent.JoinFailed, parentId);
  }

  /** LEAVE: the station drops its parent (or the join under way); no DOWN follows. */
  private leave(s: Station, at: number): void {
    if (s.busy === 'join') {
      this.engine.cancel(s.pending);
      s.pending = null;
      s.busy = null;
    }
    const a = s.uplink;
    if (!a) return;
    s.uplink = null;
    this.engine.cancel(a.detect);
    const p = this.st(a.parent);
    if (a.alive && p.children.get(s.node.id) === a) {
      a.alive = false;
      if (a.up) this.deliverAt(at, () => this.dropChild(p, a, 'left'));
      else p.children.delete(s.node.id);
    }
  }

  /** RELEASE: the softAP disconnects a child; the child sees DOWN, we see CHILD_DOWN. */
  private release(s: Station, childId: number, at: number): number {
    const a = s.children.get(childId);
    if (!a || !a.up || !a.alive) return WifiError.Unknown;
    a.alive = false;
    const c = this.st(childId);
    this.deliverAt(at, () => {
      this.dropChild(s, a, 'released');
      if (c.uplink === a) {
        c.uplink = null;
        this.events.add(this.engine.now, childId, 'wifi_down', `parent=${s.node.id} reason=released`);
        c.node.wifiEvent(LinkEvent.Down, s.node.id);
      }
    });
    return 0;
  }

  /** The softAP forgets a child and tells its node (CHILD_DOWN) if the child had come up. */
  private dropChild(p: Station, a: Assoc, reason: string): void {
    if (p.children.get(a.child) !== a) return;
    p.children.delete(a.child);
    this.engine.cancel(a.detect);
    a.detect = null;
    if (!a.up) return;
    this.events.add(this.engine.now, p.node.id, 'child_down', `child=${a.child} reason=${reason}`);
    p.node.wifiEvent(LinkEvent.ChildDown, a.child);
  }

  /** Runs `fn` as its own engine event at `at`: never inside the call that caused it. */
  private deliverAt(at: number, fn: () => void): void {
    this.engine.at(Math.max(at, this.engine.now), fn);
  }

  // ---- power ------------------------------------------------------------------------------

  /**
   * The node powered off, failed or rebooted: both its interfaces start from nothing. Its
   * parent notices the silent station after its own inactivity timeout, its children after
   * their beacon-loss timeout.
   */
  reset(id: number): void {
    const s = this.stations.get(id);
    if (!s) return;
    s.life++;
    this.engine.cancel(s.pending);
    s.pending = null;
    s.busy = null;
    s.advert = { ...NO_ADVERT };
    s.lastScan = new Set();
    s.lastArrival.clear();

    const up = s.uplink;
    s.uplink = null;
    if (up) {
      this.engine.cancel(up.detect);
      up.detect = null;
      const p = this.st(up.parent);
      if (up.alive && p.children.get(id) === up) {
        up.alive = false;
        if (!up.up) p.children.delete(id);
        else up.detect = this.engine.after(us(p.spec!.ap_inactivity_ms), () => this.dropChild(p, up, 'inactivity'));
      }
    }

    for (const a of [...s.children.values()].sort((x, y) => x.child - y.child)) {
      this.engine.cancel(a.detect);
      a.detect = null;
      if (!a.alive) continue;
      a.alive = false;
      if (!a.up) continue; // a join in its DHCP phase fails when that phase ends
      const c = this.st(a.child);
      a.detect = this.engine.after(us(c.spec!.beacon_loss_ms), () => {
        if (c.uplink !== a) return;
        c.uplink = null;
        this.events.add(this.engine.now, a.child, 'wifi_down', `parent=${id} reason=beacon_loss`);
        c.node.wifiEvent(LinkEvent.Down, id);
      });
    }
    s.children.clear();
  }

  // ---- frames -----------------------------------------------------------------------------

  /** A frame leaves `from`'s radio now: to the parent, a child, or (broadcast) all of them. */
  transmit(from: number, dst: number, bytes: Uint8Array): void {
    this.stats.sent++;
    const s = this.st(from);
    const hops: Assoc[] = [];
    if (dst === BROADCAST) {
      if (s.uplink?.up) hops.push(s.uplink);
      for (const a of [...s.children.values()].sort((x, y) => x.child - y.child)) if (a.up) hops.push(a);
    } else {
      const a = s.uplink?.up && s.uplink.parent === dst ? s.uplink : s.children.get(dst);
      if (a?.up) hops.push(a);
      else {
        // The association went away between `send` and the frame leaving.
        this.stats.lost.unreachable++;
        this.engine.after(ACK_TIMEOUT_US, () => s.node.txFailed(dst));
        return;
      }
    }
    for (const a of hops) this.hop(s, a, bytes, dst !== BROADCAST);
  }

  private hop(s: Station, a: Assoc, bytes: Uint8Array, unicast: boolean): void {
    const from = s.node.id;
    const to = a.parent === from ? a.child : a.parent;
    const r = this.st(to);
    const delay = this.latencyUs(s, r, bytes.length);
    const nack = () => this.engine.after(delay, () => s.node.txFailed(to));
    if (!a.alive && r.node.state === 'on') {
      // The peer is up but no longer associated with us: nobody acknowledges.
      this.stats.lost.unreachable++;
      if (unicast) this.engine.after(delay, nack);
      return;
    }
    if (this.rng.chance(this.spec.loss)) {
      this.stats.lost.random++;
      if (unicast) this.engine.after(delay, nack);
      return;
    }
    // One hop delivers in order: a frame never overtakes the one sent before it.
    const arrival = Math.max(this.engine.now + delay, s.lastArrival.get(to) ?? 0);
    s.lastArrival.set(to, arrival);
    const rssi = this.rssi(s, r);
    this.engine.at(arrival, () => {
      const taken = r.node.arrive(from, bytes, rssi);
      if (!taken && unicast) nack();
    });
  }

  /** Board hop latency + exponential jitter + serialisation; the slower end decides. */
  private latencyUs(a: Station, b: Station, bytes: number): number {
    const wa = a.spec!;
    const wb = b.spec ?? wa;
    const hop = this.spec.hop_latency_ms ?? Math.max(wa.hop_latency_ms, wb.hop_latency_ms);
    const jitter = this.spec.jitter_ms ?? Math.max(wa.jitter_ms, wb.jitter_ms);
    const bw = this.spec.bandwidth_bps ?? Math.min(wa.bandwidth_bps, wb.bandwidth_bps);
    const random = jitter > 0 ? -jitter * Math.log(1 - this.rng.nextFloat()) : 0;
    return us(hop) + us(random) + airtimeUs(bytes, bw);
  }
}
