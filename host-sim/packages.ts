// Work packages fed into a swarm the way a sensor would (docs/orchestration.md, "Experiments"):
// a feed submits one package every `every` µs at node `from`; a sample the node has no room for
// waits in the sensor's queue, oldest first, so the input rate is kept and queueing shows in the
// latency; a full queue (`queue` samples) drops its oldest sample, as a camera keeps the freshest
// frames. The ledger follows every sample to its end: ORCH_RESULT at a target, ORCH_FAILED,
// or still open when the run stops. Latency runs from the sample's creation to its result.

import { EmitKind, SubmitKind } from '../tools/wire/abi.ts';
import { decodeOrchFailed, decodePackageBody } from '../tools/wire/orch.ts';
import type { Engine } from './engine.ts';
import type { NodeIO } from './io.ts';
import type { SimNode } from './node.ts';

export interface PackageFeed {
  from: number;
  target: number;
  /** Up to two backup targets (0 = none). */
  backups: [number, number];
  first: number;
  last: number;
  /** Payload bytes of each package. */
  bytes: number;
  /** µs between samples, from `start` until `stop` or `count` samples. */
  every: number;
  start: number;
  stop: number;
  count: number;
  /** Samples the sensor holds while the node has no room (Infinity: no limit). */
  queue: number;
}

/** One sample's life. Times in µs of simulated time. */
export interface Sample {
  feed: number;
  createdUs: number;
  submittedUs: number | null;
  origin: number;
  counter: number | null;
  /** Result emitted at a target (first time), and where. */
  resultUs: number | null;
  resultAt: number | null;
  /** Results emitted beyond the first (must stay 0: exactly once). */
  repeats: number;
  failedUs: number | null;
  failReason: number | null;
  failStep: number | null;
  /** Dropped by the sensor's full queue before it was submitted. */
  droppedUs: number | null;
}

/**
 * How often a waiting sample is offered again to a node without room. A node does not say when
 * a slot frees, so a sample can wait up to this much longer than it had to (part of its latency).
 */
const RETRY_US = 10_000;

/** Payload of sample `k`: deterministic bytes, so a result can be checked. */
export function samplePayload(k: number, bytes: number): Uint8Array {
  return new Uint8Array(bytes).map((_, i) => (i * 13 + k * 7 + 1) & 0xff);
}

/** ORCH submit record: target, backups, first and last step, payload. */
export function orchSubmitRecord(target: number, backups: [number, number], first: number, last: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, target, true);
  v.setUint16(2, backups[0], true);
  v.setUint16(4, backups[1], true);
  out[6] = first;
  out[7] = last;
  out.set(payload, 8);
  return out;
}

export class PackageLedger {
  readonly samples: Sample[] = [];
  /** `origin:counter` -> index of the sample it carries (counters wrap, so newest wins). */
  private byKey = new Map<string, number>();
  /** Records that named no known sample (a bug, or a package from outside the feeds). */
  unknown = 0;

  constructor(private engine: Engine, private node: (id: number) => SimNode, readonly feeds: PackageFeed[]) {
    feeds.forEach((f, i) => this.scheduleSample(i, f.start, 0));
  }

  private scheduleSample(feed: number, at: number, made: number): void {
    const f = this.feeds[feed];
    if (made >= f.count || at >= f.stop) return;
    this.engine.at(at, () => {
      this.samples.push({
        feed, createdUs: at, submittedUs: null, origin: f.from, counter: null, resultUs: null, resultAt: null, repeats: 0,
        failedUs: null, failReason: null, failStep: null, droppedUs: null,
      });
      this.trimQueue(feed);
      this.offer(feed);
      this.scheduleSample(feed, at + f.every, made + 1);
    });
  }

  /** The sample whose submit a busy node has not answered yet, per feed: one at a time keeps order. */
  private inFlight = new Map<number, number>();
  private retrying = new Set<number>();

  /** Offers the feed's waiting samples, oldest first, until the node refuses or defers one. */
  private offer(feed: number): void {
    if (this.inFlight.has(feed)) return;
    const f = this.feeds[feed];
    const node = this.node(f.from);
    const i = this.samples.findIndex((s) => s.feed === feed && s.submittedUs === null && s.droppedUs === null);
    if (i < 0) return;
    if (node.state !== 'on') return this.retryLater(feed);
    const record = orchSubmitRecord(f.target, f.backups, f.first, f.last, samplePayload(i, f.bytes));
    this.inFlight.set(feed, i);
    const answered = (r: number | null) => {
      this.inFlight.delete(feed);
      if (r === null || r === -7) return this.retryLater(feed);
      if (r < 0) throw new Error(`package feed ${feed} at node ${f.from}: submit refused (${r}); check steps, target and orch_payload_bytes`);
      const s = this.samples[i];
      s.submittedUs = this.engine.now;
      s.counter = r;
      this.byKey.set(`${f.from}:${r}`, i);
      // The next one after this call into the node has finished, not inside it.
      this.engine.after(0, () => this.offer(feed));
    };
    const r = node.submit(SubmitKind.Orch, record, answered);
    // Off: nothing will answer. Busy: `answered` is called when the node takes it.
    if (r !== null) answered(r);
    else if (node.state !== 'on') answered(null);
  }

  /**
   * Drops the feed's oldest waiting samples beyond its queue. The one being handed to a busy
   * node counts as waiting (the sensor still holds it) but is not dropped.
   */
  private trimQueue(feed: number): void {
    const f = this.feeds[feed];
    const offered = this.inFlight.get(feed);
    let waiting = 0;
    for (const s of this.samples) if (s.feed === feed && s.submittedUs === null && s.droppedUs === null) waiting++;
    for (let i = 0; i < this.samples.length && waiting > f.queue; i++) {
      const s = this.samples[i];
      if (s.feed !== feed || s.submittedUs !== null || s.droppedUs !== null || i === offered) continue;
      s.droppedUs = this.engine.now;
      waiting--;
    }
  }

  private retryLater(feed: number): void {
    if (this.retrying.has(feed)) return;
    this.retrying.add(feed);
    this.engine.after(RETRY_US, () => {
      this.retrying.delete(feed);
      this.offer(feed);
    });
  }

  /** Wraps a node's IO so the ledger sees its ORCH_RESULT and ORCH_FAILED records. */
  watch(id: number, io: NodeIO): NodeIO {
    return {
      sensor: (c, m, t) => io.sensor(c, m, t),
      blobRead: (b, o, l) => io.blobRead(b, o, l),
      accel: (op, input, outLen) => io.accel(op, input, outLen),
      record: (kind, bytes, atUs) => {
        this.see(id, kind, bytes, atUs);
        io.record?.(kind, bytes, atUs);
      },
    };
  }

  private see(id: number, kind: number, bytes: Uint8Array, atUs: number): void {
    if (kind === EmitKind.OrchResult) {
      const body = decodePackageBody(bytes);
      const i = body ? this.byKey.get(`${body.head.origin}:${body.head.counter}`) : undefined;
      if (i === undefined) return void this.unknown++;
      const s = this.samples[i];
      if (s.resultUs !== null) s.repeats++;
      else {
        s.resultUs = atUs;
        s.resultAt = id;
      }
    } else if (kind === EmitKind.OrchFailed) {
      const f = decodeOrchFailed(bytes);
      const i = f ? this.byKey.get(`${f.origin}:${f.counter}`) : undefined;
      if (i === undefined || !f) return void this.unknown++;
      const s = this.samples[i];
      if (s.failedUs === null) {
        s.failedUs = atUs;
        s.failReason = f.reason;
        s.failStep = f.step;
      } else s.repeats++;
    }
  }
}
