// Test entry (not a node program): the LINK_ACK, FRAG, FRAG_ACK and APP_DATA payload codecs
// over a scratch buffer, and the frame-level traffic category.

import "../src/hal";
import { appDataMsg, appDataValid, putAppDataMsg } from "../src/wire/appdata";
import { frameCategoryOf } from "../src/wire/category";
import { fragBytes, fragCount, fragCountOf, fragIndex, fragInner, fragMsg, fragTotal, fragValid, putFragFixed } from "../src/wire/frag";
import { fragAckCount, fragAckMsg, fragAckStatus, fragAckValid, putFragAckFixed } from "../src/wire/fragack";
import { linkAckSeq, linkAckSrc, linkAckType, linkAckValid, putLinkAck } from "../src/wire/linkack";

const SCRATCH: u32 = 2048;
const scratch = memory.data(<i32>SCRATCH);

export function buffer(): usize { return scratch; }

export function link_ack_valid(len: u32): bool { return linkAckValid(scratch, len); }
export function link_ack_src(): u32 { return linkAckSrc(scratch); }
export function link_ack_type(): u32 { return linkAckType(scratch); }
export function link_ack_seq(): u32 { return linkAckSeq(scratch); }
export function put_link_ack(src: u32, type: u32, seq: u32): void { putLinkAck(scratch, src, type, seq); }

export function frag_valid(len: u32): bool { return fragValid(scratch, len); }
export function frag_field(i: u32): u32 {
  switch (i) {
    case 0: return fragMsg(scratch);
    case 1: return fragInner(scratch);
    case 2: return fragIndex(scratch);
    case 3: return fragCountOf(scratch);
    case 4: return fragTotal(scratch);
  }
  return 0xffffffff;
}
export function put_frag(msg: u32, inner: u32, index: u32, count: u32, total: u32): void { putFragFixed(scratch, msg, inner, index, count, total); }
export function frag_bytes(total: u32, count: u32, index: u32): u32 { return fragBytes(total, count, index); }
export function frag_count(total: u32, room: u32): u32 { return fragCount(total, room); }

export function frag_ack_valid(len: u32): bool { return fragAckValid(scratch, len); }
export function frag_ack_field(i: u32): u32 {
  switch (i) {
    case 0: return fragAckMsg(scratch);
    case 1: return fragAckStatus(scratch);
    case 2: return fragAckCount(scratch);
  }
  return 0xffffffff;
}
export function put_frag_ack(msg: u32, status: u32, count: u32): void { putFragAckFixed(scratch, msg, status, count); }

export function app_data_valid(len: u32): bool { return appDataValid(scratch, len); }
export function app_data_msg(): u32 { return appDataMsg(scratch); }
export function put_app_data(msg: u32): void { putAppDataMsg(scratch, msg); }

/** Category of the whole frame of `len` bytes in the buffer. */
export function frame_category(len: u32): u32 { return frameCategoryOf(scratch, len); }
