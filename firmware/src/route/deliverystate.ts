// Everything message delivery remembers, created once by `init`: the send slots (messages
// queued or in flight from this node), the reassembly buffers and the per-source order table.

import { rand } from "../hal";
import { Config } from "../core/config";
import { BITMAP_BYTES } from "./bitmap";
import { SourceTable } from "./msgorder";
import { MsgType } from "../wire/format";

export const enum SlotState { Free = 0, Waiting = 1, Active = 2 }

/** DELIVERED records start with src:u16 msg:u16; buffers keep room for it in front of the data. */
export const RECORD_HEAD: u32 = 4;

/** One message from this node: its bytes and how far its delivery has got. */
export class SendSlot {
  state: u32 = SlotState.Free;
  msg: u32 = 0;
  dst: u32 = 0;
  /** What the message is: APP_DATA (the application's, with SEND_DONE) or a layer's own type. */
  inner: u32 = MsgType.AppData;
  /** Header flags of its frames (ACK_REQ or 0). */
  flags: u32 = 0;
  len: u32 = 0;
  /** Frames it takes; 1 = one APP_DATA frame, else FRAG frames. */
  count: u32 = 0;
  /** Submission order, so waiting messages to one destination start in the order given. */
  order: u32 = 0;
  /** Fragments the receiver has confirmed. */
  acked: StaticArray<u8> = new StaticArray<u8>(<i32>BITMAP_BYTES);
  /** Fragments still to send in this round. */
  toSend: StaticArray<u8> = new StaticArray<u8>(<i32>BITMAP_BYTES);
  cursor: u32 = 0;
  /** The round is out; waiting for a FRAG_ACK until `waitUntilMs`. */
  sentAll: bool = false;
  /** The receiver had no buffer: the next round resends everything unconfirmed. */
  refusedBusy: bool = false;
  /** The last send found no route (the message fails with "no route" if that lasts). */
  noRoute: bool = false;
  /** Rounds after the first. */
  rounds: u32 = 0;
  startMs: u32 = 0;
  waitUntilMs: u32 = 0;
  retryAtMs: u32 = 0;
  data: StaticArray<u8>;

  constructor(capacity: u32) {
    this.data = new StaticArray<u8>(<i32>capacity);
  }

  get dataPtr(): usize { return changetype<usize>(this.data); }
  get ackedPtr(): usize { return changetype<usize>(this.acked); }
  get toSendPtr(): usize { return changetype<usize>(this.toSend); }
}

/** One message being reassembled. */
export class RxBuffer {
  used: bool = false;
  src: u32 = 0;
  msg: u32 = 0;
  inner: u32 = 0;
  count: u32 = 0;
  total: u32 = 0;
  got: u32 = 0;
  bitmap: StaticArray<u8> = new StaticArray<u8>(<i32>BITMAP_BYTES);
  startMs: u32 = 0;
  /** When the next FRAG_ACK goes out if nothing completes the message first. */
  ackAtMs: u32 = 0;
  /** `ackAtMs` is the short hold after the end of a round, not the idle timeout. */
  holdArmed: bool = false;
  /** The last fragment has arrived once: the sender's round is over. */
  lastSeen: bool = false;
  /** FRAG_ACKs sent since the last new fragment. */
  idleAcks: u32 = 0;
  /** RECORD_HEAD bytes, then the message. */
  data: StaticArray<u8>;

  constructor(capacity: u32) {
    this.data = new StaticArray<u8>(<i32>(RECORD_HEAD + capacity));
  }

  get bitmapPtr(): usize { return changetype<usize>(this.bitmap); }
  get dataPtr(): usize { return changetype<usize>(this.data); }
}

export class DeliveryState {
  self: u32;
  cfg: Config;
  slots: StaticArray<SendSlot>;
  buffers: StaticArray<RxBuffer>;
  sources: SourceTable;
  /** Payloads of outgoing frames are built here (one frame's payload). */
  scratch: StaticArray<u8>;
  /** SEND_DONE records. */
  record: StaticArray<u8>;
  nextMsg: u32;
  nextOrder: u32 = 0;

  constructor(self: u32, cfg: Config) {
    this.self = self;
    this.cfg = cfg;
    const slots = new StaticArray<SendSlot>(<i32>cfg.sendBuffers);
    for (let i = 0; i < <i32>cfg.sendBuffers; i++) slots[i] = new SendSlot(cfg.fragBufferBytes);
    this.slots = slots;
    const buffers = new StaticArray<RxBuffer>(<i32>cfg.fragBuffers);
    for (let i = 0; i < <i32>cfg.fragBuffers; i++) buffers[i] = new RxBuffer(cfg.fragBufferBytes);
    this.buffers = buffers;
    this.sources = new SourceTable(<i32>cfg.msgSources, cfg.fragDeadlineMs);
    this.scratch = new StaticArray<u8>(<i32>cfg.mtu);
    this.record = new StaticArray<u8>(5);
    // A random first id, so a restarted node is unlikely to reuse ids a receiver remembers.
    const first = rand() & 0xffff;
    this.nextMsg = first == 0 ? 1 : first;
  }

  get scratchPtr(): usize { return changetype<usize>(this.scratch); }
  get recordPtr(): usize { return changetype<usize>(this.record); }
}
