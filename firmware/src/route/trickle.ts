// Trickle timer (RFC 6206) for full routing updates: quiet when the neighbourhood agrees,
// fast when it does not. The interval I runs from imin to imin x 2^doublings; in each
// interval the node transmits at a random point t in [I/2, I) unless it has already heard
// k consistent transmissions (k = 0: never suppress); an inconsistency resets I to imin.
// The arithmetic is pure functions; `Trickle` holds one timer's state.

import { before } from "../core/bytes";

/** Intervals stay below 2^30 ms (12 days), well inside wrap-safe time arithmetic. */
export const TRICKLE_CAP: u32 = 0x40000000;

/** Longest interval: imin x 2^doublings, at most TRICKLE_CAP. */
export function trickleImax(imin: u32, doublings: u32): u32 {
  let i = imin;
  for (let d: u32 = 0; d < doublings && i < TRICKLE_CAP; d++) i <<= 1;
  return min(i, TRICKLE_CAP);
}

/** The interval after `interval` ends: doubled, at most imax. */
export function trickleNext(interval: u32, imax: u32): u32 {
  return interval >= imax ? imax : min(interval << 1, imax);
}

/** Transmission point within an interval of `interval` ms, from 32 random bits: [I/2, I). */
export function tricklePoint(interval: u32, random: u32): u32 {
  const half = interval >> 1;
  const span = interval - half;
  return half + (span == 0 ? 0 : random % span);
}

/** Whether to transmit at t after hearing `heard` consistent transmissions. */
export function trickleTransmits(heard: u32, k: u32): bool {
  return k == 0 || heard < k;
}

export class Trickle {
  imin: u32;
  imax: u32;
  k: u32;
  interval: u32;
  /** Start of the current interval. */
  startMs: u32 = 0;
  /** t of the current interval, as a time. */
  fireMs: u32 = 0;
  fired: bool = false;
  heard: u32 = 0;
  /** A neighbour asked for our table: transmit at t this interval whatever was heard. */
  forced: bool = false;

  constructor(imin: u32, doublings: u32, k: u32) {
    this.imin = imin;
    this.imax = trickleImax(imin, doublings);
    this.k = k;
    this.interval = imin;
  }

  /** Starts an interval of the current length at `now`. */
  begin(now: u32, random: u32): void {
    this.startMs = now;
    this.fireMs = now + tricklePoint(this.interval, random);
    this.fired = false;
    this.heard = 0;
  }

  /** RFC 6206 rule 6: an inconsistency resets I to imin, unless it already is imin. */
  reset(now: u32, random: u32): void {
    if (this.interval == this.imin) return;
    this.interval = this.imin;
    this.begin(now, random);
  }

  /** A neighbour asked for our table (it just booted): reset, and do not suppress this time. */
  demand(now: u32, random: u32): void {
    this.reset(now, random);
    this.forced = true;
  }

  /** Rule 3: a consistent transmission was heard. */
  consistent(): void {
    this.heard++;
  }

  /**
   * Advances to `now`: returns true when t has come and the node should transmit. An
   * interval that has ended starts the next, doubled one.
   */
  due(now: u32, random: u32): bool {
    if (!before(now, this.startMs + this.interval)) {
      this.interval = trickleNext(this.interval, this.imax);
      this.begin(now, random);
    }
    if (this.fired || before(now, this.fireMs)) return false;
    this.fired = true;
    const send = this.forced || trickleTransmits(this.heard, this.k);
    this.forced = false;
    return send;
  }

  /** Next time `due` has something to do. */
  deadline(): u32 {
    return this.fired ? this.startMs + this.interval : this.fireMs;
  }
}
