// Message ids and per-source order (docs/delivery.md, "Ordering"). A node numbers the
// messages it sends with one u16 counter (never 0) and sends one message at a time to each
// destination, so a receiver sees each source's ids rising (with gaps for messages sent to
// other nodes). It keeps, per source, the newest id it has started and the last it has
// delivered; a message older than the newest started was abandoned by its sender and is
// never delivered late, which is what keeps delivery in the order sent.

/** An id at most this far behind the newest one is a straggler; further behind means the source restarted. */
export const MSG_WINDOW: u32 = 64;

export const enum MsgClass {
  /** A message not seen before: start (or deliver) it. */
  New = 0,
  /** The message being reassembled now. */
  Current = 1,
  /** The message delivered last: acknowledge it again, do not deliver it again. */
  Delivered = 2,
  /** An older message its sender has given up: drop it. */
  Stale = 3,
}

/** u16 serial-number distance from `a` forward to `b`. */
// @ts-ignore: decorator
@inline export function msgAhead(a: u32, b: u32): u32 {
  return (b - a) & 0xffff;
}

/** Where `msg` stands for a source whose newest id is `newest` and last delivered `delivered` (0 = none). */
export function classifyMsg(msg: u32, newest: u32, delivered: u32): MsgClass {
  if (delivered != 0 && msg == delivered) return MsgClass.Delivered;
  if (msg == newest) return MsgClass.Current;
  const behind = msgAhead(msg, newest);
  if (behind <= MSG_WINDOW) return MsgClass.Stale;
  return MsgClass.New;
}

/** The id after `msg`, skipping 0. */
export function nextMsgId(msg: u32): u32 {
  const n = (msg + 1) & 0xffff;
  return n == 0 ? 1 : n;
}

/**
 * Per-source order state for up to `capacity` sources. When full, the source heard from
 * longest ago is forgotten; an entry unused for longer than `forgetMs` is treated as absent
 * (its sender may have restarted and numbered its messages afresh).
 */
export class SourceTable {
  ids: StaticArray<u16>;
  newest: StaticArray<u16>;
  delivered: StaticArray<u16>;
  usedMs: StaticArray<u32>;
  size: i32 = 0;
  forgetMs: u32;

  constructor(capacity: i32, forgetMs: u32) {
    this.ids = new StaticArray<u16>(capacity);
    this.newest = new StaticArray<u16>(capacity);
    this.delivered = new StaticArray<u16>(capacity);
    this.usedMs = new StaticArray<u32>(capacity);
    this.forgetMs = forgetMs;
  }

  /** Index of `src`'s live entry, or -1. */
  find(src: u32, now: u32): i32 {
    for (let i = 0; i < this.size; i++) {
      if (<u32>unchecked(this.ids[i]) != src) continue;
      if (now - unchecked(this.usedMs[i]) > this.forgetMs) return -1;
      return i;
    }
    return -1;
  }

  classify(src: u32, msg: u32, now: u32): MsgClass {
    const i = this.find(src, now);
    if (i < 0) return MsgClass.New;
    return classifyMsg(msg, <u32>unchecked(this.newest[i]), <u32>unchecked(this.delivered[i]));
  }

  /** Entry for `src`, created (or reset) when absent; reuses the least recently used one when full. */
  private entry(src: u32, now: u32): i32 {
    let i = -1;
    for (let k = 0; k < this.size; k++) if (<u32>unchecked(this.ids[k]) == src) i = k;
    if (i >= 0 && now - unchecked(this.usedMs[i]) > this.forgetMs) {
      unchecked((this.newest[i] = 0));
      unchecked((this.delivered[i] = 0));
    }
    if (i < 0) {
      if (this.size < this.ids.length) {
        i = this.size++;
      } else {
        i = 0;
        for (let k = 1; k < this.size; k++) {
          if (now - unchecked(this.usedMs[k]) > now - unchecked(this.usedMs[i])) i = k;
        }
      }
      unchecked((this.ids[i] = <u16>src));
      unchecked((this.newest[i] = 0));
      unchecked((this.delivered[i] = 0));
    }
    unchecked((this.usedMs[i] = now));
    return i;
  }

  /** `msg` from `src` has started (or, for a one-frame message, is being delivered). */
  started(src: u32, msg: u32, now: u32): void {
    unchecked((this.newest[this.entry(src, now)] = <u16>msg));
  }

  /** `msg` from `src` was delivered. */
  deliveredMsg(src: u32, msg: u32, now: u32): void {
    const i = this.entry(src, now);
    unchecked((this.newest[i] = <u16>msg));
    unchecked((this.delivered[i] = <u16>msg));
  }

  /** Keeps the entry alive while its message makes progress. */
  touch(src: u32, now: u32): void {
    const i = this.find(src, now);
    if (i >= 0) unchecked((this.usedMs[i] = now));
  }
}
