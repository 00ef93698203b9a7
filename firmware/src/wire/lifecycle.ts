// Payloads of the node-lifecycle messages of tree mode (docs/wire.md, 0x20..0x23). All are
// small fixed layouts; a decoder checks the length and every field's range, so a corrupted
// frame is dropped by the wire layer (`wire.drop.payload`) before the lifecycle sees it.
//
// - JOIN_REQ     child -> parent, one hop: `token:u16 flags:u8` (Child Registration Request)
// - JOIN_ACCEPT  parent -> child, one hop: `token:u16 status:u8 depth:u8 root:u16 status_seq:u16`
// - TREE_STATUS  parent -> child, one hop: `status:u8 depth:u8 root:u16 status_seq:u16`
// - ANNOUNCE     network-wide broadcast:   `parent:u16 depth:u8`

import { getU16, getU8, putU16, putU8 } from "../core/bytes";
import { ADDR_BROADCAST } from "./format";

export const JOIN_REQ_SIZE: u32 = 3;
export const JOIN_ACCEPT_SIZE: u32 = 8;
export const TREE_STATUS_SIZE: u32 = 6;
export const ANNOUNCE_SIZE: u32 = 3;

/** JOIN_REQ flags: bit 0 = the sender's first join since it booted. */
export const JOIN_FIRST: u32 = 1;
/** JOIN_ACCEPT status. */
export const enum JoinStatus { Accepted = 0, Refused = 1 }
/** TREE_STATUS status: the sender is attached to a root (again), or is recovering its parent. */
export const enum TreeStatus { Attached = 0, Recovering = 1 }
/** Deepest depth a node can take: its children would be at 254, and 255 means "not attached". */
export const DEPTH_MAX: u32 = 253;

function isNode(id: u32): bool {
  return id != 0 && id != ADDR_BROADCAST;
}

export function joinReqValid(p: usize, len: u32): bool {
  return len == JOIN_REQ_SIZE && getU16(p, 0) != 0 && (getU8(p, 2) & ~JOIN_FIRST) == 0;
}

// @ts-ignore: decorator
@inline export function joinReqToken(p: usize): u32 { return getU16(p, 0); }
// @ts-ignore: decorator
@inline export function joinReqFlags(p: usize): u32 { return getU8(p, 2); }

export function putJoinReq(p: usize, token: u32, flags: u32): void {
  putU16(p, 0, token);
  putU8(p, 2, flags);
}

export function joinAcceptValid(p: usize, len: u32): bool {
  if (len != JOIN_ACCEPT_SIZE || getU16(p, 0) == 0) return false;
  const status = getU8(p, 2);
  if (status > <u32>JoinStatus.Refused) return false;
  return status == JoinStatus.Refused || (getU8(p, 3) <= DEPTH_MAX && isNode(getU16(p, 4)));
}

// @ts-ignore: decorator
@inline export function joinAcceptToken(p: usize): u32 { return getU16(p, 0); }
// @ts-ignore: decorator
@inline export function joinAcceptStatus(p: usize): u32 { return getU8(p, 2); }
// @ts-ignore: decorator
@inline export function joinAcceptDepth(p: usize): u32 { return getU8(p, 3); }
// @ts-ignore: decorator
@inline export function joinAcceptRoot(p: usize): u32 { return getU16(p, 4); }
// @ts-ignore: decorator
@inline export function joinAcceptSeq(p: usize): u32 { return getU16(p, 6); }

export function putJoinAccept(p: usize, token: u32, status: u32, depth: u32, root: u32, seq: u32): void {
  putU16(p, 0, token);
  putU8(p, 2, status);
  putU8(p, 3, depth);
  putU16(p, 4, root);
  putU16(p, 6, seq);
}

export function treeStatusValid(p: usize, len: u32): bool {
  if (len != TREE_STATUS_SIZE) return false;
  const status = getU8(p, 0);
  if (status > <u32>TreeStatus.Recovering) return false;
  return status == TreeStatus.Recovering || (getU8(p, 1) <= DEPTH_MAX && isNode(getU16(p, 2)));
}

// @ts-ignore: decorator
@inline export function treeStatusStatus(p: usize): u32 { return getU8(p, 0); }
// @ts-ignore: decorator
@inline export function treeStatusDepth(p: usize): u32 { return getU8(p, 1); }
// @ts-ignore: decorator
@inline export function treeStatusRoot(p: usize): u32 { return getU16(p, 2); }
// @ts-ignore: decorator
@inline export function treeStatusSeq(p: usize): u32 { return getU16(p, 4); }

export function putTreeStatus(p: usize, status: u32, depth: u32, root: u32, seq: u32): void {
  putU8(p, 0, status);
  putU8(p, 1, depth);
  putU16(p, 2, root);
  putU16(p, 4, seq);
}

export function announceValid(p: usize, len: u32): bool {
  return len == ANNOUNCE_SIZE && isNode(getU16(p, 0)) && getU8(p, 2) <= DEPTH_MAX + 1;
}

// @ts-ignore: decorator
@inline export function announceParent(p: usize): u32 { return getU16(p, 0); }
// @ts-ignore: decorator
@inline export function announceDepth(p: usize): u32 { return getU8(p, 2); }

export function putAnnounce(p: usize, parent: u32, depth: u32): void {
  putU16(p, 0, parent);
  putU8(p, 2, depth);
}
