// The shared radio medium: takes a frame as it leaves a radio and schedules its arrival at
// each receiver, drawing loss from the medium's own random stream. A broadcast is delivered
// to every neighbour separately with independent loss, as on a real radio.

import type { Engine } from './engine.ts';
import type { Rng } from './prng.ts';
import { linkLatencyUs } from './link.ts';
import { findLink, type Link, type Topology } from './topology.ts';
import { BROADCAST } from '../tools/wire/abi.ts';

/** How long a MAC waits for an ack from a node that is not there. */
const ACK_TIMEOUT_US = 5_000;

export interface MediumStats {
  /** Frames that left a radio. */
  sent: number;
  /** Frame copies handed to a receiving node. */
  delivered: number;
  /** Copies that never reached a node, by reason. */
  lost: Record<LossReason, number>;
  /** Frames refused or discarded by a node's radio, by reason. */
  dropped: Record<DropReason, number>;
}

export type LossReason = 'random' | 'unreachable' | 'receiver_off' | 'receiver_failed' | 'sender_off';
export type DropReason = 'mtu' | 'tx_queue_full' | 'bad_destination' | 'rx_queue_overflow' | 'inbox_too_small' | 'filter';

/** A test's choice of frame copies to drop: true drops the copy of `frame` from `from` to `to`. */
export type FrameFilter = (frame: Uint8Array, from: number, to: number, atUs: number) => boolean;

export function emptyStats(): MediumStats {
  return {
    sent: 0,
    delivered: 0,
    lost: { random: 0, unreachable: 0, receiver_off: 0, receiver_failed: 0, sender_off: 0 },
    dropped: { mtu: 0, tx_queue_full: 0, bad_destination: 0, rx_queue_overflow: 0, inbox_too_small: 0, filter: 0 },
  };
}

export interface Receiver {
  /** A copy arrives now; false when the receiver is off or failed (counted by it). */
  arrive(src: number, bytes: Uint8Array, rssi: number): boolean;
  /** A unicast from this node was not acknowledged (the MAC gave up). */
  txFailed(peer: number): void;
}

export class Medium {
  readonly stats = emptyStats();
  private receivers = new Map<number, Receiver>();
  private filter: FrameFilter | null = null;
  /** Takes over delivery on the Wi-Fi tree medium (wifi.ts): frames follow associations, not links. */
  router: { transmit(from: number, dst: number, bytes: Uint8Array): void } | null = null;

  constructor(
    private engine: Engine,
    readonly topology: Topology,
    private rng: Rng,
  ) {}

  attach(id: number, r: Receiver): void {
    this.receivers.set(id, r);
  }

  /**
   * Drops the frame copies `filter` picks (links and range media), as a loss the sender's MAC
   * notices, counted in `dropped.filter`; `null` removes it. For tests: deterministic losses.
   */
  dropIf(filter: FrameFilter | null): void {
    this.filter = filter;
  }

  /** The frame leaves `from`'s radio now (engine time). */
  transmit(from: number, dst: number, bytes: Uint8Array): void {
    if (this.router) return this.router.transmit(from, dst, bytes);
    this.stats.sent++;
    const links = this.topology.get(from) ?? [];
    if (dst === BROADCAST) {
      for (const link of links) this.propagate(from, link, bytes, false);
      return;
    }
    const link = findLink(this.topology, from, dst);
    if (!link) {
      this.stats.lost.unreachable++;
      // An unacknowledged unicast is reported after the time an ack would have taken.
      this.engine.after(ACK_TIMEOUT_US, () => this.receivers.get(from)?.txFailed(dst));
      return;
    }
    this.propagate(from, link, bytes, true);
  }

  private propagate(from: number, link: Link, bytes: Uint8Array, unicast: boolean): void {
    const to = link.peer;
    const delay = linkLatencyUs(link.baseLatencyMs, bytes.length, link.bandwidthBps);
    // The sender learns of a failed unicast when its ack would have come back.
    const nack = () => this.engine.after(delay, () => this.receivers.get(from)?.txFailed(to));
    if (this.rng.chance(link.loss)) {
      this.stats.lost.random++;
      if (unicast) this.engine.after(delay, nack);
      return;
    }
    // After the loss draw, so a filter does not shift the medium's random stream.
    if (this.filter?.(bytes, from, to, this.engine.now)) {
      this.stats.dropped.filter++;
      if (unicast) this.engine.after(delay, nack);
      return;
    }
    this.engine.after(delay, () => {
      const taken = this.receivers.get(to)?.arrive(from, bytes, link.rssi) ?? false;
      if (!taken && unicast) nack();
    });
  }
}
